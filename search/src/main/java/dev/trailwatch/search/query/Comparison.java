package dev.trailwatch.search.query;

/** The comparison of a range term such as {@code http.response.status_code >= 500}. */
public enum Comparison {
  LESS("<"),
  LESS_OR_EQUAL("<="),
  GREATER(">"),
  GREATER_OR_EQUAL(">=");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  /** How a query writes it: {@code <}, {@code <=}, {@code >}, {@code >=}. */
  public String symbol() {
    return symbol;
  }

  /**
   * True when a value that compares to the bound as {@code order} (negative: less) satisfies it.
   */
  public boolean accepts(int order) {
    return switch (this) {
      case LESS -> order < 0;
      case LESS_OR_EQUAL -> order <= 0;
      case GREATER -> order > 0;
      case GREATER_OR_EQUAL -> order >= 0;
    };
  }

  static Comparison of(String symbol) {
    for (Comparison c : values()) {
      if (c.symbol.equals(symbol)) {
        return c;
      }
    }
    throw new IllegalArgumentException("not a comparison: " + symbol);
  }
}
