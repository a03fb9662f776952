@testable import App
import Domain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct ImportTests {
    func upload(_ browser: Browser, _ data: [UInt8], filename: String) async throws -> TestingHTTPResponse {
        if browser.cookies[CSRFMiddleware.cookie] == nil { try await browser.get("/") }
        let boundary = "----navigator\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(data)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await browser.app.testing().sendRequest(.POST, "/municipality/import", headers: headers, body: body)
    }

    static let header = ImportService.columns.joined(separator: ";")

    @Test func csvImportReportsEveryRowAndARerunChangesNothing() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let m = Browser(app)
            try await m.login("osinniki@kuzbass.example")
            #expect(try await m.get("/municipality/import").status == .ok)
            let csv = """
            \(Self.header)
            Белова;Ольга;Петровна;belova@example.ru;+7 913 111-22-33;Белов;Артём;Игоревич;12.03.2015;м;\(freshSnils(80));I-ЛО;200001
            Белова;Ольга;Петровна;belova@example.ru;;Белова;Дарья;Игоревна;2012-09-01;ж;\(freshSnils(81));I-ЛО;200002
            Белова;Ольга;Петровна;belova@example.ru;;Белова;Малыш;Игоревна;2023-01-01;ж;\(freshSnils(82));I-ЛО;200003
            ;;;not-an-email;;Пустой;;;;;123;;
            """
            let first = try await upload(m, Array(csv.utf8), filename: "children.csv")
            #expect(first.status == .ok)
            #expect(first.text.contains("Создано: 2, без изменений: 0, ошибок: 2."))
            #expect(first.text.contains("Сертификат выдаётся детям с 5 лет"))
            #expect(first.text.contains("СНИЛС указан с ошибкой"))
            let certs = try await CertificateModel.query(on: app.db).filter(\.$status == .active).all()
            #expect(Set(certs.compactMap(\.number)) == ["4233000001", "4233000002"])
            let family = try await UserModel.query(on: app.db).filter(\.$email == "belova@example.ru").all()
            #expect(family.count == 1)
            // The same file again: nothing changes.
            let second = try await upload(m, Array(csv.utf8), filename: "children.csv")
            #expect(second.text.contains("Создано: 0, без изменений: 2, ошибок: 2."))
            #expect(try await CertificateModel.query(on: app.db).count() == 2)
            #expect(try await ChildModel.query(on: app.db).filter(\.$familyID == family[0].id!).count() == 2)
        }
    }

    @Test func xlsxImport() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let m = Browser(app)
            try await m.login("osinniki@kuzbass.example")
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/import.xlsx")
            let data = try [UInt8](Data(contentsOf: url))
            let res = try await upload(m, data, filename: "import.xlsx")
            #expect(res.status == .ok)
            #expect(res.text.contains("Создано: 1, без изменений: 0, ошибок: 1."))
            let lev = try await ChildModel.query(on: app.db).filter(\.$name == "Лев").first()
            #expect(lev?.birthDate == "2014-06-01")
            #expect(lev?.snils == "11223344595")
        }
    }

    @Test func badFilesAndOtherRolesAreRefused() async throws {
        try await withNavigator(demoCertificates: false) { app in
            let m = Browser(app)
            try await m.login("osinniki@kuzbass.example")
            let junk = try await upload(m, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], filename: "x.xlsx")
            #expect(junk.status == .unprocessableEntity)
            #expect(junk.text.contains("повреждён"))
            let noHeader = try await upload(m, Array("a;b\n".utf8), filename: "x.csv")
            #expect(noHeader.status == .unprocessableEntity)
            #expect(noHeader.text.contains("Первая строка файла"))
            let ddt = Browser(app)
            try await ddt.login("ddt@osinniki.example")
            #expect(try await upload(ddt, Array("x".utf8), filename: "x.csv").status == .forbidden)
        }
    }
}
