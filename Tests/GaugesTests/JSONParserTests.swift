import Gauges
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String, maxDepth: Int = 16) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8), maxDepth: maxDepth)
    }

    private func failure(_ bytes: [UInt8], maxDepth: Int = 16) -> JSONParseError? {
        do {
            let value = try JSONParser.parse(bytes, maxDepth: maxDepth)
            Issue.record("expected a parse error, got \(value)")
            return nil
        } catch {
            return error
        }
    }

    private func failure(_ text: String, maxDepth: Int = 16) -> JSONParseError? {
        failure(Array(text.utf8), maxDepth: maxDepth)
    }

    private func number(_ text: String) throws -> JSONNumber {
        guard case .number(let number) = try parse(text) else {
            Issue.record("\(text) is not a number")
            throw CancellationError()
        }
        return number
    }

    // MARK: Values

    @Test func literals() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse(" \t\r\nfalse \n") == .bool(false))
    }

    @Test func numbersKeepTheirText() throws {
        #expect(try number("4.02").text == "4.02")
        #expect(try number("4.02").double == 4.02)
        #expect(try number("-0").text == "-0")
        #expect(try number("1E+2").double == 100)
        #expect(try number("1665439200.25").double == 1_665_439_200.25)
        #expect(try number("1e999").text == "1e999")
        #expect(try number("1e999").double == .infinity)
        #expect(try number("-1e999").double == -.infinity)
    }

    @Test("a number's Double is the one Double(String) gives, on the shortcut for plain decimals and off it")
    func numbersConvertAsDoubleDoes() throws {
        let edges = [
            "0", "-0", "0.0", "1", "-1", "4.02", "0.1", "0.3", "2.675", "5.561", "1665439200", "1665439200.25",
            "9007199254740992", "9007199254740993", "-9007199254740993", "123456789012345678", "1234567890123456789",
            "12345678901234567890", "0.0000000000000000000001", "0.00000000000000000000001", "1.7976931348623157",
            "179769313486231570000000000000000000000", "4.9406564584124654", "0.30000000000000004", "1e5", "2.5E-3",
        ]
        for text in edges {
            let converted = try number(text).double
            #expect(converted.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
        // Random plain decimals of up to 19 digits, with the point anywhere.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let digits = String(
                (0..<Int.random(in: 1...19, using: &generator)).map { _ in
                    Character(String(Int.random(in: 0...9, using: &generator)))
                })
            let whole = digits.drop { $0 == "0" }
            let integer = whole.isEmpty ? "0" : String(whole)
            let point = Int.random(in: 0...integer.count, using: &generator)
            var text =
                point == integer.count
                ? integer
                : (point == 0 ? "0" : String(integer.prefix(point))) + "." + integer.dropFirst(point)
            if Bool.random(using: &generator) { text = "-" + text }
            let converted = try number(text).double
            #expect(converted.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }

    @Test func numbersAsIntegers() throws {
        #expect(try number("12").int64 == 12)
        #expect(try number("-3").int64 == -3)
        #expect(try number("12.0").int64 == 12)
        #expect(try number("1.2e1").int64 == 12)
        #expect(try number("1.5").int64 == nil)
        #expect(try number("9223372036854775807").int64 == Int64.max)
        #expect(try number("9223372036854775808").int64 == nil)
        #expect(try number("12").isIntegerLiteral)
        #expect(try !number("12.0").isIntegerLiteral)
    }

    @Test(
        "JSONNumber(text) accepts only JSON number grammar",
        arguments: ["+1", ".5", "5.", "01", "-", "1e", "1e+", "0x10", "NaN", "inf", " 1", "1 ", "", "1.5.2", "--1"])
    func numberGrammarRejects(_ text: String) {
        #expect(JSONNumber(text) == nil)
    }

    @Test("JSONNumber(text) accepts valid numbers", arguments: ["0", "-0", "4.02", "-1.5e-3", "1E10", "10", "0.001"])
    func numberGrammarAccepts(_ text: String) {
        #expect(JSONNumber(text)?.text == text)
    }

    @Test func strings() throws {
        #expect(try parse(#""level""#) == .string("level"))
        #expect(try parse(#""""#) == .string(""))
        #expect(try parse(#""Câu Lâu – Thu Bồn""#) == .string("Câu Lâu – Thu Bồn"))
        #expect(try parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#) == .string("a\"b\\c/d\u{08}e\u{0C}f\ng\rh\ti"))
        #expect(try parse(#""\u00e9\u00C9\u0041""#) == .string("éÉA"))
        #expect(try parse(#""\u1EA1""#) == .string("ạ"))
        #expect(try parse(#""smile \uD83D\uDE00!""#) == .string("smile 😀!"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test func objectsKeepOrderAndDuplicates() throws {
        let value = try parse(#"{"ts":1, "value" : "x","ts":2}"#)
        guard case .object(let members) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(members.map(\.key) == ["ts", "value", "ts"])
        #expect(members[1].value == .string("x"))
        #expect(members[2].value == .number(JSONNumber("2")!))
        #expect(try parse("{}") == .object([]))
        #expect(try parse("[]") == .array([]))
    }

    @Test func arrayElementsCarryTheirByteRanges() throws {
        let text = #"[ {"ts":1,"value":2} , 3.5 ,"x",[true, null] ]"#
        guard case .array(let elements) = try parse(text) else {
            Issue.record("not an array")
            return
        }
        #expect(elements.map { slice(text, $0.range) } == [#"{"ts":1,"value":2}"#, "3.5", #""x""#, "[true, null]"])
        #expect(elements[0].range == 2..<20)
    }

    @Test func nestingUpToTheLimit() throws {
        let sixteen = String(repeating: "[", count: 16) + String(repeating: "]", count: 16)
        #expect(throws: Never.self) { try parse(sixteen) }
        let error = failure(String(repeating: "[", count: 17) + String(repeating: "]", count: 17))
        #expect(error?.kind == .tooDeep)
        #expect(error?.description == "nested deeper than 16 levels at byte 16")
        let objects = failure(#"{"a":{"b":{"c":1}}}"#, maxDepth: 2)
        #expect(objects?.description == "nested deeper than 2 levels at byte 10")
    }

    @Test func jsonTextIsCompactAndShortened() throws {
        #expect(try parse(#"{ "a" : [1, "x\"y", null] }"#).jsonText() == #"{"a":[1,"x\"y",null]}"#)
        let long = try parse("[" + Array(repeating: "12345", count: 100).joined(separator: ",") + "]").jsonText(
            limit: 20)
        #expect(long == "[12345,12345,12345,1…")
        // Cut by bytes while writing, by characters at the end: multi-byte text is still marked as cut.
        let vietnamese = try parse(#"["Câu Lâu","Hội An","Ái Nghĩa","Giao Thủy"]"#)
        #expect(vietnamese.jsonText(limit: 100) == #"["Câu Lâu","Hội An","Ái Nghĩa","Giao Thủy"]"#)
        #expect(vietnamese.jsonText(limit: 30) == #"["Câu Lâu","Hội An","Ái Nghĩa""# + "…")
    }

    // MARK: Errors

    @Test func emptyPayload() {
        #expect(failure("")?.kind == .empty)
        #expect(failure("")?.description == "empty payload")
        #expect(failure(" \n")?.kind == .empty)
    }

    @Test func truncatedInput() {
        let cut = #"{"ts":"2022-10-11T05:00:00+07:00","value":"#
        let error = failure(cut)
        #expect(error?.kind == .unexpectedEnd)
        #expect(error?.offset == cut.utf8.count)
        #expect(error?.description == "unexpected end of input at byte 42 (truncated?)")
        for text in [
            "[1,2", #"{"ts""#, #"{"ts":"2022"#, "tru", "-", "4.", "1e", #""\u00"#, #""\"#, #""\uD83D"#, "[", "{",
        ] {
            #expect(failure(text)?.kind == .unexpectedEnd, "\(text)")
        }
    }

    @Test func unexpectedCharacters() {
        #expect(failure("[1,]")?.description == "unexpected character ']' at byte 3 (expected a value)")
        #expect(failure(#"{"a" 1}"#)?.description == "unexpected character '1' at byte 5 (expected ':' after the key)")
        #expect(failure(#"{"a":1 "b":2}"#)?.description == #"unexpected character '"' at byte 7 (expected ',' or '}')"#)
        #expect(
            failure("{'a':1}")?.description == #"unexpected character "'" at byte 1 (expected a quoted key or '}')"#)
        #expect(failure("[1 2]")?.description == "unexpected character '2' at byte 3 (expected ',' or ']')")
        #expect(failure(".5")?.description == "unexpected character '.' at byte 0 (expected a value)")
        #expect(failure("-x")?.description == "unexpected character 'x' at byte 1 (expected a digit after '-')")
        #expect(failure("1.e5")?.description == "unexpected character 'e' at byte 2 (expected a digit after '.')")
        #expect(failure([0x5B, 0x01, 0x5D])?.description == "unexpected byte 0x01 at byte 1 (expected a value)")
        #expect(failure("[é]")?.description == "unexpected character 'é' at byte 1 (expected a value)")
    }

    @Test func barewords() {
        let notJSON = failure("level is 4.02")
        #expect(notJSON?.kind == .unexpectedCharacter)
        #expect(notJSON?.description == "unexpected word 'level' at byte 0 (text must be in double quotes)")
        #expect(
            failure(#"{"value":NaN}"#)?.description == "unexpected word 'NaN' at byte 9 (JSON has no NaN or Infinity)")
        #expect(
            failure("[Infinity]")?.description == "unexpected word 'Infinity' at byte 1 (JSON has no NaN or Infinity)")
        #expect(failure("[trux]")?.offset == 1)
    }

    @Test func trailingCharacters() {
        let error = failure(#"{"ts":1,"value":4.02} x"#)
        #expect(error?.kind == .trailingCharacters)
        #expect(error?.description == "unexpected 'x' after the JSON value at byte 22")
        #expect(failure("{}{}")?.description == "unexpected '{' after the JSON value at byte 2")
        #expect(failure("1 2")?.kind == .trailingCharacters)
    }

    @Test func leadingZeros() {
        let error = failure("[01]")
        #expect(error?.kind == .invalidNumber)
        #expect(error?.description == "number with a leading zero at byte 1 (JSON does not allow them)")
        #expect(failure("-007")?.kind == .invalidNumber)
    }

    @Test func badStrings() {
        let control = failure("\"a\nb\"")
        #expect(control?.kind == .invalidString)
        #expect(control?.description == "unescaped control character 0x0A in a string at byte 2")
        #expect(failure(#""a\xb""#)?.description == #"invalid escape '\x' in a string at byte 2"#)
        #expect(failure(#""\u12G4""#)?.description == #"invalid \u escape at byte 1 (needs 4 hex digits)"#)
    }

    @Test(
        "lone surrogates are refused",
        arguments: [#""\uD800""#, #""\uDC00""#, #""\uD83Dx""#, #""\uD83D\u0041""#, #""\uD83D\n""#])
    func loneSurrogates(_ text: String) {
        let error = failure(text)
        #expect(error?.kind == .invalidString)
        #expect(error?.offset == 1)
        #expect(error?.description.hasPrefix("lone surrogate \\u") == true)
    }

    @Test func invalidUTF8InAString() {
        let error = failure([0x22, 0x61, 0xC3, 0x28, 0x22])
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.description == "invalid UTF-8 at byte 2")
    }
}
