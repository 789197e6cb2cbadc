package dev.nightshift.pipeline.extract;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.nightshift.pipeline.constrain.Grammar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.nightshift.pipeline.constrain.Grammar.alt;
import static dev.nightshift.pipeline.constrain.Grammar.optional;
import static dev.nightshift.pipeline.constrain.Grammar.range;
import static dev.nightshift.pipeline.constrain.Grammar.seq;
import static dev.nightshift.pipeline.constrain.Grammar.text;

/**
 * The JSON a {@link FieldSchema} allows, as a {@link Grammar} over bytes. What is written is a subset of
 * JSON chosen so that every output parses and validates and a model cannot wander:
 * <ul>
 *   <li>members in the schema's order, optional ones possibly left out; one space at most after {@code :}
 *       and {@code ,}, none elsewhere (bounded whitespace: no loop of blanks);</li>
 *   <li>strings of printable characters, valid UTF-8 (a character may span tokens), escapes
 *       {@code \" \\ \/ \n \r \t} only; {@code maxLength} counts characters, an escape as one;</li>
 *   <li>dates {@code YYYY-MM-DD} that exist (29 February in years ending 04, 08 ... 96 only);</li>
 *   <li>integers of at most 18 digits; numbers with at most 8 decimals, no exponent.</li>
 * </ul>
 */
final class SchemaGrammar {
    private SchemaGrammar() {
    }

    static Grammar of(FieldSchema schema) {
        if (schema instanceof FieldSchema.NullableType n) return alt(text("null"), of(n.value()));
        if (schema instanceof FieldSchema.ObjectType o) return object(o);
        if (schema instanceof FieldSchema.StringType s) return string(s);
        if (schema instanceof FieldSchema.NumberType n)
            return n.integer() ? INTEGER : seq(INTEGER, optional(seq(text("."), new Grammar.Repeat(DIGIT, 1, 8))));
        if (schema instanceof FieldSchema.BooleanType) return alt(text("true"), text("false"));
        return array((FieldSchema.ArrayType) schema);
    }

    private static final Grammar DIGIT = range('0', '9');
    private static final Grammar INTEGER = seq(optional(text("-")), alt(text("0"), seq(range('1', '9'), new Grammar.Repeat(DIGIT, 0, 17))));
    private static final Grammar SPACE = optional(text(" "));
    private static final Grammar SEPARATOR = seq(text(","), SPACE);
    private static final Grammar CONT = range(0x80, 0xBF);

    /** One character of a JSON string's content. */
    private static final Grammar CHAR = alt(
            Grammar.minus(range(0x20, 0x7F), Grammar.anyOf("\"\\")),
            seq(text("\\"), Grammar.anyOf("\"\\/nrt")),
            seq(range(0xC2, 0xDF), CONT),
            seq(range(0xE0, 0xE0), range(0xA0, 0xBF), CONT),
            seq(range(0xE1, 0xEC), CONT, CONT),
            seq(range(0xED, 0xED), range(0x80, 0x9F), CONT),
            seq(range(0xEE, 0xEF), CONT, CONT),
            seq(range(0xF0, 0xF0), range(0x90, 0xBF), CONT, CONT),
            seq(range(0xF1, 0xF3), CONT, CONT, CONT),
            seq(range(0xF4, 0xF4), range(0x80, 0x8F), CONT, CONT));

    private static Grammar object(FieldSchema.ObjectType o) {
        List<Grammar.Member> members = new ArrayList<>();
        for (Map.Entry<String, FieldSchema> e : o.properties().entrySet()) {
            Grammar member = seq(text(quoted(e.getKey()) + ":"), SPACE, of(e.getValue()));
            members.add(new Grammar.Member(member, !o.required().contains(e.getKey())));
        }
        return new Grammar.Members(text("{"), members, SEPARATOR, text("}"));
    }

    private static Grammar string(FieldSchema.StringType s) {
        if (!s.values().isEmpty()) return new Grammar.Alt(s.values().stream().map(v -> text(quoted(v))).toList());
        if (s.date()) return seq(text("\""), DATE, text("\""));
        return seq(text("\""), new Grammar.Repeat(CHAR, 0, s.maxLength()), text("\""));
    }

    private static final Grammar DATE;

    static {
        Grammar year = new Grammar.Repeat(DIGIT, 4, 4);
        List<Grammar> leap = new ArrayList<>();
        for (int y = 4; y < 100; y += 4) leap.add(text(String.format("%02d", y)));
        Grammar day28 = alt(seq(text("0"), range('1', '9')), seq(text("1"), DIGIT), seq(text("2"), range('0', '8')));
        Grammar day30 = alt(day28, text("29"), text("30"));
        Grammar day31 = alt(day30, text("31"));
        Grammar month31 = alt(text("01"), text("03"), text("05"), text("07"), text("08"), text("10"), text("12"));
        Grammar month30 = alt(text("04"), text("06"), text("09"), text("11"));
        DATE = alt(seq(year, text("-"), month31, text("-"), day31),
                seq(year, text("-"), month30, text("-"), day30),
                seq(year, text("-02-"), day28),
                seq(DIGIT, DIGIT, new Grammar.Alt(leap), text("-02-29")));
    }

    private static Grammar array(FieldSchema.ArrayType a) {
        Grammar item = of(a.items());
        if (a.maxItems() == 0) return text("[]");
        int more = a.maxItems() < 0 ? -1 : a.maxItems() - 1;
        Grammar some = seq(text("["), item, new Grammar.Repeat(seq(SEPARATOR, item), Math.max(0, a.minItems() - 1), more), text("]"));
        return a.minItems() == 0 ? alt(text("[]"), some) : some;
    }

    /** {@code value} as a JSON string literal, quotes included. */
    static String quoted(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }
}
