import Warnings

/// The two languages of a bulletin: Vietnamese first, in the bulletins' own words, and English.
public typealias BulletinLanguage = Language

/// One text in both languages.
public struct Phrase: Sendable, Hashable {
    public var vi: String
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    /// The text written the same way in both languages (a name).
    public init(_ both: String) {
        self.init(vi: both, en: both)
    }

    /// The text of one language.
    public subscript(_ language: BulletinLanguage) -> String {
        language == .vietnamese ? vi : en
    }

    /// Builds each language's text with the same code.
    init(_ text: (BulletinLanguage) -> String) {
        self.init(vi: text(.vietnamese), en: text(.english))
    }
}
