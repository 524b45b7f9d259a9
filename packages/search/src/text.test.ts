import { describe, expect, it } from "vitest";
import { fold, isStopWord, stem, terms, words } from "./text";

describe("terms", () => {
  it("keeps a camelCase identifier whole and splits it into its words", () => {
    expect(terms("createPaymentIntent")).toEqual([
      "createpaymentintent",
      "create",
      "payment",
      "intent",
    ]);
    // A run of capitals ends where the next capitalised word starts.
    expect(terms("NSInvalidArgumentException")).toEqual([
      "nsinvalidargumentexception",
      "ns",
      "invalid",
      "argument",
      "exception",
    ]);
    expect(terms("PrismaClientKnownRequestError")).toEqual(
      expect.arrayContaining(["prismaclientknownrequesterror", "prisma", "known", "request"]),
    );
  });

  it("keeps a compound (dashes, dots, slashes, underscores) whole and splits it into its parts", () => {
    expect(terms("cart-summary.tsx")).toEqual(["cart-summary.tsx", "cart", "summary", "tsx"]);
    // Every term is stemmed, the whole compound included: both sides stem alike, so they still meet.
    expect(terms("src/hooks/use_filters")).toEqual([
      "src/hooks/use_filter",
      "src",
      "hook",
      "use",
      "filter",
    ]);
    // A compound whose piece is camelCase is split on both levels.
    expect(terms("checkout.createPaymentIntent")).toEqual(
      expect.arrayContaining([
        "checkout.createpaymentintent",
        "checkout",
        "createpaymentintent",
        "create",
        "payment",
        "intent",
      ]),
    );
  });

  it("drops stop words unless asked to keep them, and folds and stems every term", () => {
    expect(terms("What is the error?")).toEqual(["error"]);
    expect(terms("What is the error?", { keepStopWords: true })).toEqual([
      "what",
      "is",
      "the",
      "error",
    ]);
    expect(terms("Łukasz fixes the Crashes")).toEqual(["lukasz", "fix", "crash"]);
    expect(isStopWord("the")).toBe(true);
    expect(isStopWord("error")).toBe(false);
  });

  it("gives the same terms to a query and the text it should find", () => {
    const indexed = new Set(terms("PaymentIntentError in createPaymentIntent (payments.ts)"));
    for (const term of terms("payment intent errors payments")) expect(indexed).toContain(term);
  });
});

describe("fold", () => {
  it("folds accents, ł, ø, ß and ligatures to ASCII, lower-cased", () => {
    expect(fold("Łukasz")).toBe("lukasz");
    expect(fold("Zoë")).toBe("zoe");
    expect(fold("Søren Ødegård")).toBe("soren odegard");
    expect(fold("Straße")).toBe("strasse");
    expect(fold("ﬁx")).toBe("fix");
    expect(fold("José Müller-Núñez")).toBe("jose muller-nunez");
  });

  it("makes the plain words of a query match either spelling of a name", () => {
    expect(words("Zoë Adeyemi's PR-42")).toEqual(["zoe", "adeyemi", "s", "pr", "42"]);
    expect(words("Łukasz")).toEqual(words("lukasz"));
  });
});

describe("stem", () => {
  it("meets plurals and verb forms of the same word", () => {
    expect(stem("errors")).toBe("error");
    expect(stem("crashes")).toBe("crash");
    expect(stem("fixes")).toBe("fix");
    expect(stem("retries")).toBe("retry");
    expect(stem("failing")).toBe("fail");
    expect(stem("indexed")).toBe("index");
    expect(stem("timeouts")).toBe(stem("timeout"));
    // A plural of a status code is the code.
    expect(stem("500s")).toBe("500");
  });

  it("leaves short words, numbers and words that only look inflected alone", () => {
    expect(stem("bus")).toBe("bus");
    expect(stem("status")).toBe("status");
    expect(stem("class")).toBe("class");
    expect(stem("analysis")).toBe("analysis");
    expect(stem("agreed")).toBe("agreed");
    expect(stem("v2s")).toBe("v2s");
    expect(stem("ring")).toBe("ring");
  });
});
