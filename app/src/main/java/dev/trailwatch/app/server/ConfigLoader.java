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
    config = applyEnvironment(config, env);
    String where = file.map(f -> f + ": ").orElse("");
    try {
      config.noiseFilter(); // build once to report bad rules and mappings at start-up
      config.formats();
    } catch (ConfigException e) {
      throw new ConfigException(where + e.getMessage());
    }
    return config;
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
          whereKey(file, text, e.getLocation(), String.valueOf(e.getPropertyName()))
              + "unknown setting '"
              + path(e)
              + "'"
              + (known.isEmpty() ? "" : "; known here: " + known));
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigException ce) {
        // "http.port must be ...": point at the line of that setting's key.
        String setting = ce.getMessage().split(" ", 2)[0];
        String key = setting.substring(setting.lastIndexOf('.') + 1);
        throw new ConfigException(whereKey(file, text, e.getLocation(), key) + ce.getMessage());
      }
      if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi
          && mi.getTargetType() != null) {
        throw new ConfigException(
            where(file, e.getLocation())
                + "'"
                + path(e)
                + "' should be "
                + expected(mi.getTargetType()));
      }
      throw new ConfigException(where(file, e.getLocation()) + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          where(file, e.getLocation()) + "not valid YAML: " + firstLine(e.getOriginalMessage()));
    }
  }

  /**
   * Where an unknown key is: the parser reports where it noticed (after the key's value), so look
   * back from there for the line that holds the key.
   */
  private static String whereKey(Path file, String text, JsonLocation location, String key) {
    String[] lines = text.split("\n", -1);
    int from = location == null ? lines.length : Math.min(lines.length, location.getLineNr());
    for (int i = from - 1; i >= 0; i--) {
      String l = lines[i];
      int col = l.indexOf(key);
      if (col >= 0) {
        String before = l.substring(0, col).strip();
        String after = l.substring(col + key.length()).stripLeading();
        if ((before.isEmpty() || before.equals("-")) && after.startsWith(":")) {
          return file + ": line " + (i + 1) + ", column " + (col + 1) + ": ";
        }
      }
    }
    return where(file, location);
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

  private static String expected(Class<?> type) {
    if (type.isRecord() || Map.class.isAssignableFrom(type)) {
      return "a mapping (indented 'key: value' lines)";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list ('- item' lines or [a, b])";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type == Boolean.class) {
      return "true or false";
    }
    return "a text value";
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
    return new ServerConfig(
        http, syslog, c.storage(), c.ingest(), c.inputs(), c.mappings(), c.noise(), c.index());
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
