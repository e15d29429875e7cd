import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /bulletin`: the situation report at a time, as a page, JSON or text.
@Suite("Bulletin over HTTP")
struct BulletinRoutesTests {
    typealias F = APIFixture

    /// 2020-10-28T10:00:00+07:00: Câu Lâu at 2.20 m, rising through BĐ I; its level warning is at level 1.
    static let at = "2020-10-28T10:00:00%2B07:00"

    @Test("the page by default, in Vietnamese or English; JSON and text at the time asked")
    func formats() async throws {
        let app = Application(router: APIServer.router(try F.context()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/bulletin?at=\(Self.at)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let page = String(buffer: response.body)
                #expect(page.contains("<html lang=\"vi\">") && page.contains("lúc 10:00 ngày 28/10/2020"))
                #expect(page.contains("data-station=\"cau-lau\"") && page.contains("data-station=\"tra-my\""))
                #expect(page.contains("href=\"?lang=en&amp;at=2020-10-28T03:00:00Z\""))
            }
            try await client.execute(uri: "/bulletin?lang=en&at=\(Self.at)", method: .get) { response in
                #expect(String(buffer: response.body).contains("at 10:00 on 28 Oct 2020"))
            }
            try await client.execute(uri: "/bulletin?format=json&at=\(Self.at)", method: .get) { response in
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try F.json(response.body)
                #expect((body["time"] as? [String: String])?["utc"] == "2020-10-28T03:00:00Z")
                let levels = try #require(body["levels"] as? [[String: Any]])
                #expect(
                    (levels.first { $0["station"] as? String == "cau-lau" }?["text"] as? [String: String])?["vi"]
                        == "Câu Lâu 2,20 m, trên báo động I 0,20 m, đang lên (lúc 10:00 ngày 28/10)")
                let warnings = try #require(body["warnings"] as? [[String: Any]])
                #expect(warnings.map { $0["level"] as? Int } == [1], "escalated to 2 only at 16:40")
            }
            try await client.execute(uri: "/bulletin?format=text", method: .get) { response in
                #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("BẢN TIN TÌNH HÌNH MƯA LŨ\nlúc 00:00 ngày 30/10/2020"), "now, by the clock")
                #expect(text.contains("FLOOD SITUATION REPORT"))
            }
        }
    }

    @Test("bad parameters are 400 naming the parameter; with read: token, a token is needed")
    func refusals() async throws {
        let app = Application(router: APIServer.router(try F.context()))
        try await app.test(.router) { client in
            for (query, parameter) in [("format=pdf", "format"), ("lang=fr", "lang"), ("at=yesterday", "at")] {
                try await client.execute(uri: "/bulletin?\(query)", method: .get) { response in
                    let error = try F.error(response.body)
                    #expect(response.status == .badRequest)
                    #expect(error["parameter"] as? String == parameter, "\(error)")
                }
            }
        }
        let closed = Application(
            router: APIServer.router(
                try F.context(access: AccessPolicy(openReading: false, tokens: [F.officer, F.reader]))))
        try await closed.test(.router) { client in
            try await client.execute(uri: "/bulletin", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/bulletin", method: .get, headers: [.authorization: "Bearer \(F.reader.secret)"]
            ) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
