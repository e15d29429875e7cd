import Catalogue
import Testing

/// The generic located-YAML helpers, as another reader (e.g. floodwatch.yaml) would use them.
@Suite("Located YAML helpers")
struct YAMLHelpersTests {
    @Test func readsTypedFieldsAndCollectsProblems() throws {
        let yaml = """
            broker: mqtt://localhost:1883
            database: /var/lib/floodwatch/floodwatch.sqlite
            retention: 30d
            stations: sensors/stations.yaml
            brokr: typo
            workers: 2,5

            """
        let diagnostics = YAMLDiagnostics(file: "floodwatch.yaml")
        let root = try #require(YAMLDocument.parse(yaml, diagnostics: diagnostics))
        let top = try #require(root.mapping())
        top.checkKeys(["broker", "database", "stations", "retention", "workers"])
        #expect(top.optional("broker")?.text() == "mqtt://localhost:1883")
        #expect(top.optional("broker")?.line == 1)
        #expect(top.optional("retention")?.duration() == 30 * 86_400)
        #expect(top.required("database")?.text() == "/var/lib/floodwatch/floodwatch.sqlite")
        #expect(top.optional("workers")?.integer() == nil)
        #expect(top.required("log_level") == nil)

        let problems = diagnostics.problemsInFileOrder
        #expect(problems.map(\.line) == [1, 5, 6])
        #expect(
            problems.map(\.message) == [
                "missing 'log_level'",
                "unknown key 'brokr'",
                "'workers' must be a whole number, found '2,5'",
            ])
        #expect(problems[1].fix.hasPrefix("did you mean 'broker'?"))
        #expect(problems.allSatisfy { $0.file == "floodwatch.yaml" })
    }

    @Test func contextPrefixesMessages() throws {
        let diagnostics = YAMLDiagnostics(file: "f.yaml")
        let root = try #require(YAMLDocument.parse("broker:\n  port: high\n", diagnostics: diagnostics))
        var broker = try #require(root.mapping()?.required("broker")?.mapping())
        broker.context = "broker"
        #expect(broker.required("port")?.integer() == nil)
        #expect(
            diagnostics.problems.map(\.description) == [
                "f.yaml:2:9: broker: 'port' must be a whole number, found 'high'\n  fix: write a whole number, e.g. 5, without units or quotes"
            ])
    }

    @Test func duplicateKeysEverywhereAreAllReported() {
        let diagnostics = YAMLDiagnostics(file: "f.yaml")
        let yaml = "a: 1\nb:\n  c: 1\n  \"c\": 2\n  c: 3\nd: {x: 1, y: 2, x: 3}\na: 4\n"
        let root = YAMLDocument.parse(yaml, diagnostics: diagnostics)
        #expect(root != nil)
        #expect(
            diagnostics.problemsInFileOrder.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.message)" } == [
                "4:3 duplicate key 'c': it is already at line 3",
                "5:3 duplicate key 'c': it is already at line 3",
                "6:17 duplicate key 'x': it is already at line 6",
                "7:1 duplicate key 'a': it is already at line 1",
            ])
        // The first of each is kept, the duplicates are left out.
        let top = root?.mapping()
        #expect(top?.keys == ["a", "b", "d"])
        #expect(top?.optional("a")?.integer() == 1)
        #expect(top?.optional("b")?.mapping()?.keys == ["c"])
    }

    @Test func syntaxErrorsCarryLineAndColumn() throws {
        let diagnostics = YAMLDiagnostics(file: "f.yaml")
        #expect(YAMLDocument.parse("a: 1\nb: [1, 2\nc: 3\n", diagnostics: diagnostics) == nil)
        let problem = try #require(diagnostics.problems.first)
        #expect(diagnostics.problems.count == 1)
        #expect(problem.line == 3)
        #expect(problem.message.hasPrefix("YAML syntax error: did not find expected ',' or ']'"))
        #expect(problem.message.hasSuffix("at line 2"))
    }

    @Test(arguments: [
        ("alarm_level", "alarm_levels"), ("Stations", "stations"), ("latitude", "lat"), ("longitude", "lon"),
        ("ranges", "range"), ("intreval", "interval"),
    ])
    func suggestions(word: String, expected: String) {
        let known = ["stations", "id", "lat", "lon", "alarm_levels", "range", "interval"]
        #expect(YAMLSuggestion.closest(to: word, among: known) == expected)
    }

    @Test func noSuggestionForUnrelatedWords() {
        #expect(YAMLSuggestion.closest(to: "elevation", among: ["id", "lat", "lon", "sensors"]) == nil)
        #expect(YAMLSuggestion.closest(to: "ab", among: ["id"]) == nil)
        #expect(YAMLSuggestion.editDistance("kitten", "sitting") == 3)
    }
}
