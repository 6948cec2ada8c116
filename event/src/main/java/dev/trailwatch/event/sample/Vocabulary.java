package dev.trailwatch.event.sample;

/** The words generated events are made of. Plain constant tables; written for this project. */
final class Vocabulary {
  private Vocabulary() {}

  static final String[] FIRST_NAMES = {
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "niaj",
    "olivia",
    "peggy",
    "rupert",
    "sybil",
    "trent",
    "victor",
    "walter",
    "yasmin",
    "zoe",
    "amir",
    "beatriz",
    "chen",
    "dmitri",
    "elif",
    "fatima",
    "goran",
    "hana",
    "ines",
    "jamal",
    "kenji",
    "lena",
    "mateo",
    "nadia",
    "oskar",
    "priya",
    "quentin",
    "rosa",
    "sven",
    "tariq",
    "ursula",
    "valentin",
    "wei",
    "ximena",
    "yusuf",
    "zara",
    "anders",
    "bianca",
    "cyrus",
    "daria",
    "emeka",
    "farah",
    "gustav",
    "hiro",
    "ingrid",
    "jonas",
    "kavya",
    "luca",
    "marta",
    "noor"
  };

  static final String[] LAST_NAMES = {
    "smith",
    "jones",
    "garcia",
    "muller",
    "rossi",
    "nguyen",
    "kim",
    "silva",
    "novak",
    "tanaka",
    "dubois",
    "kowalski",
    "andersen",
    "haddad",
    "okafor",
    "petrov",
    "santos",
    "yilmaz",
    "cohen",
    "schmidt",
    "moreau",
    "lindqvist",
    "horvat",
    "fischer",
    "ivanova",
    "costa",
    "nakamura",
    "oconnor",
    "weber",
    "ferrari",
    "larsen",
    "popescu",
    "shah",
    "wagner",
    "young",
    "zhang"
  };

  static final String[] ROLES = {
    "employee",
    "developer",
    "sre",
    "admin",
    "auditor",
    "support",
    "finance",
    "readonly",
    "security",
    "contractor",
    "dba",
    "release-manager"
  };

  static final double[] ROLE_WEIGHTS =
      SplitMix64.cumulative(40, 22, 8, 3, 2, 8, 5, 6, 2, 3, 1.5, 1);

  static final String[] TENANTS = {
    "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"
  };

  static final String[] DOMAIN = {"example.com"};

  static final String[] SSH_HOSTS = {
    "bastion-1",
    "bastion-2",
    "db-01",
    "db-02",
    "db-03",
    "build-01",
    "build-02",
    "jump-eu-1",
    "jump-us-1",
    "backup-01",
    "git-01",
    "monitor-01",
    "kafka-01",
    "kafka-02",
    "kafka-03"
  };

  static final String[] WEB_HOSTS = {
    "www.example.com",
    "api.example.com",
    "shop.example.com",
    "status.example.com",
    "auth.example.com",
    "cdn.example.com"
  };

  static final String[] WEB_PATHS = {
    "/",
    "/index.html",
    "/login",
    "/logout",
    "/api/v1/orders",
    "/api/v1/orders/{id}",
    "/api/v1/users/me",
    "/api/v1/cart",
    "/api/v1/products",
    "/api/v1/products/{id}",
    "/api/v1/search",
    "/static/app.{hex}.js",
    "/static/app.{hex}.css",
    "/images/logo.svg",
    "/favicon.ico",
    "/health",
    "/metrics",
    "/api/v2/invoices/{id}",
    "/api/v2/invoices",
    "/account/settings",
    "/checkout",
    "/docs/getting-started",
    "/robots.txt"
  };

  static final String[] METHODS_FOR_API = {"GET", "GET", "GET", "GET", "POST", "PUT", "DELETE"};

  static final String[] BROWSER_AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        + " Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
        + " Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  };

  static final String[] TOOL_AGENTS = {
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "kube-probe/1.31",
    "Prometheus/2.54.1",
    "PostmanRuntime/7.42.0"
  };

  static final String[] SCANNER_AGENTS = {
    "Mozilla/5.0 zgrab/0.x",
    "Nikto/2.5.0",
    "sqlmap/1.8.11#stable (https://sqlmap.org)",
    "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
    "Mozilla/5.0 (compatible;" + " Nmap Scripting Engine; https://nmap.org/book/nse.html)"
  };

  static final String[] SCANNER_PATHS = {
    "/wp-login.php",
    "/.env",
    "/.git/config",
    "/admin",
    "/phpmyadmin/index.php",
    "/cgi-bin/luci",
    "/actuator/env",
    "/server-status",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/boaform/admin/formLogin",
    "/HNAP1/",
    "/.aws/credentials",
    "/config.json",
    "/xmlrpc.php",
    "/api/v1/../../etc/passwd",
    "/owa/auth/logon.aspx",
    "/solr/admin/info/system",
    "/.DS_Store",
    "/backup.zip",
    "/wp-content/plugins/revslider/temp/update_extract/"
  };

  static final String[] ATTACK_USERNAMES = {
    "root",
    "admin",
    "test",
    "user",
    "oracle",
    "ubuntu",
    "postgres",
    "git",
    "guest",
    "ftpuser",
    "pi",
    "support",
    "mysql",
    "deploy",
    "jenkins",
    "hadoop",
    "nagios",
    "administrator",
    "www",
    "dev",
    "ansible",
    "minecraft",
    "steam",
    "tomcat",
    "ec2-user"
  };

  static final String[] SUDO_COMMANDS = {
    "/usr/bin/systemctl restart nginx",
    "/usr/bin/systemctl status postgresql",
    "/usr/bin/journalctl -u kafka --since today",
    "/usr/bin/apt-get upgrade -y",
    "/usr/bin/tail -n 200 /var/log/auth.log",
    "/bin/bash",
    "/usr/bin/docker ps",
    "/usr/sbin/iptables -L -n",
    "/usr/bin/vim /etc/nginx/nginx.conf",
    "/usr/bin/du -sh /var/lib",
    "/usr/bin/kill -HUP 1822",
    "/usr/bin/crontab -l -u backup"
  };

  static final String[] AWS_REGIONS = {
    "us-east-1", "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"
  };

  static final String[] AWS_ACCOUNTS = {"123456789012", "210987654321", "345678901234"};

  static final String[] BUCKETS = {
    "acme-invoices",
    "acme-backups",
    "acme-logs",
    "acme-public-assets",
    "acme-data-lake",
    "acme-hr-documents",
    "acme-build-artifacts"
  };

  static final String[] OBJECT_PREFIXES = {
    "2026/11/", "exports/", "reports/q4/", "tmp/", "raw/events/", "releases/"
  };

  static final String[] IAM_ROLES = {
    "deploy",
    "ReadOnlyAccess",
    "AdministratorAccess",
    "data-pipeline",
    "ci-runner",
    "billing-viewer",
    "incident-responder"
  };

  static final String[] CLOUD_AGENTS = {
    "aws-cli/2.22.4 md/Botocore#1.35.68 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6",
    "Boto3/1.35.68 md/Botocore#1.35.68 ua/2.0 os/linux#5.10.227 lang/python#3.11.10",
    "console.amazonaws.com",
    "aws-sdk-java/2.29.15 Linux/6.1 OpenJDK_64-Bit_Server_VM/21.0.5",
    "Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.76.0"
  };

  static final String[] K8S_NAMESPACES = {
    "default",
    "kube-system",
    "payments",
    "checkout",
    "monitoring",
    "ingress-nginx",
    "data",
    "staging"
  };

  static final String[] K8S_RESOURCES = {
    "pods",
    "pods",
    "pods",
    "deployments",
    "services",
    "configmaps",
    "secrets",
    "jobs",
    "serviceaccounts",
    "rolebindings"
  };

  static final String[] K8S_APPS = {
    "api",
    "web",
    "worker",
    "scheduler",
    "postgres",
    "redis",
    "kafka-connect",
    "grafana",
    "coredns",
    "ingress-controller"
  };

  static final String[] K8S_AGENTS = {
    "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46",
    "kubectl/v1.30.6 (darwin/arm64)" + " kubernetes/00f20d4",
    "argocd-application-controller/v2.13.0",
    "helm/v3.16.3",
    "kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/5864a46"
  };

  static final String[] APP_SERVICES = {
    "billing-api", "portal", "admin-console", "support-desk", "hr-portal"
  };

  static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  static final String[] SSH_KEY_TYPES = {"ED25519", "ED25519", "RSA", "ECDSA"};

  static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}
