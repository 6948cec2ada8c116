package dev.trailwatch.event;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The fields of a web access.
 *
 * @param urlPath {@code url.path}
 * @param method {@code http.request.method}, as sent ({@code GET}, {@code POST}, ...)
 * @param statusCode {@code http.response.status_code}, 100-599
 * @param userAgent {@code user_agent.original}
 */
public record WebInfo(
    Optional<String> urlPath,
    Optional<String> method,
    OptionalInt statusCode,
    Optional<String> userAgent) {
  /** No web fields. */
  public static final WebInfo NONE =
      new WebInfo(Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty());

  public WebInfo {
    Checks.keyword(Field.URL_PATH, urlPath);
    Checks.keyword(Field.HTTP_REQUEST_METHOD, method);
    requireNonNull(statusCode, "statusCode");
    if (statusCode.isPresent() && (statusCode.getAsInt() < 100 || statusCode.getAsInt() > 599)) {
      throw new IllegalArgumentException(
          "http.response.status_code " + statusCode.getAsInt() + " is out of range 100..599");
    }
    Checks.keyword(Field.USER_AGENT_ORIGINAL, userAgent);
  }

  /** True when no web field is set. */
  public boolean isEmpty() {
    return urlPath.isEmpty() && method.isEmpty() && statusCode.isEmpty() && userAgent.isEmpty();
  }
}
