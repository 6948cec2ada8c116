package dev.trailwatch.app.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads {@link ServerConfig} from a YAML file and the environment. Environment variables win over
 * the file: {@code TRAILWATCH_HTTP_HOST}, {@code TRAILWATCH_HTTP_PORT}, {@code
 * TRAILWATCH_SYSLOG_HOST}, {@code TRAILWATCH_SYSLOG_PORT} (TCP and UDP).
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ConfigLoader() {}

  /** A configuration that cannot be used; the message says where and what to do. */
  public static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }

  static void check(boolean ok, String field, String problem) {
    if (!ok) {
      throw new ConfigException(field + " " + problem);
    }
  }

  /**
   * The configuration: the file's (when given), then the environment's overrides.
   *
   * @throws ConfigException naming the file, line, column and setting that is wrong
   */
  public static ServerConfig load(Optional<Path> file, Map<String, String> env) {
    ServerConfig config = ServerConfig.DEFAULT;
    if (file.isPresent()) {
      config = read(file.get());
    }
    return applyEnvironment(config, env);
  }

  static ServerConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such configuration file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    if (text.isBlank()) {
      return ServerConfig.DEFAULT;
    }
    try {
      ServerConfig c = YAML.readValue(text, ServerConfig.class);
      return c == null ? ServerConfig.DEFAULT : c;
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds() == null
              ? ""
              : e.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", "));
      throw new ConfigException(
          where(file, e.getLocation())
              + "unknown setting '"
              + path(e)
              + "'"
              + (known.isEmpty() ? "" : "; known here: " + known));
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      String message =
          cause instanceof ConfigException ce ? ce.getMessage() : e.getOriginalMessage();
      throw new ConfigException(where(file, e.getLocation()) + firstLine(message));
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          where(file, e.getLocation()) + "not valid YAML: " + firstLine(e.getOriginalMessage()));
    }
  }

  private static String where(Path file, JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return file + ": ";
    }
    return file + ": line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
        .collect(Collectors.joining("."));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid value";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static ServerConfig applyEnvironment(ServerConfig c, Map<String, String> env) {
    ServerConfig.Http http = c.http();
    ServerConfig.Syslog syslog = c.syslog();
    String v;
    if ((v = env.get("TRAILWATCH_HTTP_HOST")) != null && !v.isBlank()) {
      http = http.withHost(v.strip());
    }
    if ((v = env.get("TRAILWATCH_HTTP_PORT")) != null && !v.isBlank()) {
      http = http.withPort(port("TRAILWATCH_HTTP_PORT", v));
    }
    if ((v = env.get("TRAILWATCH_SYSLOG_HOST")) != null && !v.isBlank()) {
      syslog = syslog.withHost(v.strip());
    }
    if ((v = env.get("TRAILWATCH_SYSLOG_PORT")) != null && !v.isBlank()) {
      syslog = syslog.withPorts(port("TRAILWATCH_SYSLOG_PORT", v));
    }
    return new ServerConfig(http, syslog, c.storage(), c.ingest(), c.inputs(), c.mappings());
  }

  private static int port(String name, String value) {
    try {
      int p = Integer.parseInt(value.strip());
      if (p >= -1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ConfigException(
        "environment variable " + name + "='" + value + "' is not a port (0-65535)");
  }
}
