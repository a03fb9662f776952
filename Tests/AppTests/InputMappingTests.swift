@testable import App
import Domain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// One mapping per input: each input of the public, family and certificate pages is read from an HTML form and from
/// a JSON body by the same `init(_: InputBody)`; a JSON value of the wrong type is a 400 naming the field.
@Suite struct InputMappingTests {
    static func form(_ encoded: String) -> InputBody { InputBody(source: .form, values: InputBody.parse(encoded)) }

    static func json(_ text: String) throws -> InputBody {
        guard case .object(let o) = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { throw Abort(.badRequest) }
        return InputBody(source: .json, values: o)
    }

    /// The mapping refuses the body with a 400 `invalid_<field>` naming `field`.
    static func refuses<T>(_ field: String, _ map: () throws -> T) {
        do {
            _ = try map()
            Issue.record("\(field): accepted")
        } catch let e as AppError {
            #expect(e.status == .badRequest, "\(field)")
            #expect(e.code == "invalid_\(field)", "\(field): \(e.code)")
            #expect(e.fields.map(\.field) == [field], "\(field)")
        } catch {
            Issue.record("\(field): \(error)")
        }
    }

    @Test func childFromAFormAndFromJSON() throws {
        let fromForm = try ChildInput(Self.form(
            "surname=%D0%9E%D1%80%D0%BB%D0%BE%D0%B2&name=%D0%9F%D1%91%D1%82%D1%80&patronymic=&birthDate=2014-06-01&sex=male"
                + "&snils=123-456-789+64&birthCertificateSeries=II-%D0%9B%D0%9E&birthCertificateNumber=654321&_csrf=x"))
        let fromJSON = try ChildInput(Self.json("""
            {"surname":"Орлов","name":"Пётр","patronymic":null,"birthDate":"2014-06-01","sex":"male","snils":"123-456-789 64",
             "birthCertificateSeries":"II-ЛО","birthCertificateNumber":"654321"}
            """))
        let expected = ChildInput(surname: "Орлов", name: "Пётр", patronymic: "", birthDate: "2014-06-01", sex: "male", snils: "123-456-789 64",
                                  birthCertificateSeries: "II-ЛО", birthCertificateNumber: "654321")
        #expect(fromForm == expected)
        #expect(fromJSON == expected)
        // Absent fields are empty, for the checks to name them.
        #expect(try ChildInput(Self.json("{}")) == .blank)
        #expect(try ChildInput(Self.form("")) == .blank)
        for field in ["surname", "birthDate", "snils", "sex", "birthCertificateNumber"] {
            Self.refuses(field) { try ChildInput(Self.json(#"{"\#(field)": 5}"#)) }
        }
        Self.refuses("name") { try ChildInput(Self.json(#"{"name": ["Пётр"]}"#)) }
    }

    @Test func credentialsFromAFormAndFromJSON() throws {
        let fromForm = try CredentialsInput(Self.form("email=parent%40osinniki.example&password=a+b&next=%2Ffamily"))
        let fromJSON = try CredentialsInput(Self.json(#"{"email":"parent@osinniki.example","password":"a b"}"#))
        #expect(fromForm == CredentialsInput(email: "parent@osinniki.example", password: "a b"))
        #expect(fromJSON == fromForm)
        #expect(fromForm.missing.isEmpty)
        #expect(try CredentialsInput(Self.json(#"{"email":"x@y.ru","password":null}"#)).missing.map(\.field) == ["password"])
        #expect(try CredentialsInput(Self.form("")).missing.map(\.field) == ["email", "password"])
        Self.refuses("email") { try CredentialsInput(Self.json(#"{"email": 5, "password": "x"}"#)) }
        Self.refuses("password") { try CredentialsInput(Self.json(#"{"email": "x@y.ru", "password": true}"#)) }
    }

    @Test func certificateRejectionAndFreezingFromAFormAndFromJSON() throws {
        #expect(try CertificateRejectionInput(Self.form("reason=%D0%A1%D0%9D%D0%98%D0%9B%D0%A1+%D0%BD%D0%B5+%D1%82%D0%BE%D1%82")).reason == "СНИЛС не тот")
        #expect(try CertificateRejectionInput(Self.json(#"{"reason":"СНИЛС не тот"}"#)).reason == "СНИЛС не тот")
        #expect(try CertificateRejectionInput(Self.json("{}")).reason == "")
        Self.refuses("reason") { try CertificateRejectionInput(Self.json(#"{"reason": 5}"#)) }

        // The page sends 1 or 0, the API true or false; neither: the API refuses naming the field.
        #expect(try CertificateFreezeInput(Self.form("frozen=1")).frozen == true)
        #expect(try CertificateFreezeInput(Self.form("frozen=0")).frozen == false)
        #expect(try CertificateFreezeInput(Self.json(#"{"frozen":true}"#)).frozen == true)
        #expect(try CertificateFreezeInput(Self.json(#"{"frozen":false}"#)).validate() == .success(false))
        #expect(try CertificateFreezeInput(Self.json("{}")).validate() == .failure(FieldError(field: "frozen", message: "Укажите frozen: true или false.")))
        for wrong in [#""yes""#, "1", "0", "[true]"] {
            Self.refuses("frozen") { try CertificateFreezeInput(Self.json(#"{"frozen": \#(wrong)}"#)) }
        }
    }

    @Test func familyRegistrationAssistedIssuanceAndPasswordFromAForm() throws {
        let muni = UUID()
        let reg = try FamilyRegistrationInput(Self.form(
            "surname=Ivanova&name=Anna&email=anna%40example.ru&phone=%2B7+913+000-00-00&municipality=\(muni.uuidString)"
                + "&password=secret123&repeatPassword=secret123"))
        #expect(reg.municipality == muni && reg.phone == "+7 913 000-00-00")
        let valid = try reg.validate().get()
        #expect(valid.email == "anna@example.ru" && valid.phone == "+7 913 000-00-00" && valid.municipality == muni)
        // A municipality that is not an identifier counts as none chosen (the form asks again); the passwords are not shown again.
        let bad = try FamilyRegistrationInput(Self.form("municipality=nope&password=x&repeatPassword=y"))
        #expect(bad.municipality == nil)
        guard case .failure(let f) = bad.validate() else { Issue.record("accepted"); return }
        #expect(f.errors.map(\.field) == ["surname", "name", "email", "municipality", "password", "repeatPassword"])
        #expect(bad.withoutPasswords.password.isEmpty && bad.withoutPasswords.repeatPassword.isEmpty)
        guard case .failure(let gone) = reg.validate(municipalityFound: false) else { Issue.record("accepted"); return }
        #expect(gone.errors == [FamilyRegistrationInput.noMunicipality])

        let assisted = try AssistedIssuanceInput(Self.form(
            "parentSurname=Orlova&parentName=Maria&parentEmail=ORLOVA%40example.ru&parentPassword=x&surname=Orlov&name=Petr&sex=male"))
        #expect(assisted.parentEmail == "ORLOVA@example.ru" && assisted.child.surname == "Orlov" && assisted.child.sex == "male")
        let checked = assisted.check(today: LocalDate(year: 2026, month: 11, day: 22)!)
        #expect(checked.parent.email == "orlova@example.ru")
        #expect(checked.errors.map(\.field).contains("birthDate") && !checked.errors.map(\.field).contains("parentEmail"))
        #expect(assisted.withoutPassword.parentPassword.isEmpty)

        let password = try PasswordChangeInput(Self.form("currentPassword=a&newPassword=b&repeatPassword=c"))
        #expect(password == PasswordChangeInput(current: "a", new: "b", repeated: "c"))
    }

    /// Over HTTP: the API's answers for the wrong type, a missing field and a form body, unchanged by the mapping.
    @Test func theAPIRefusesWrongTypesNamingTheField() async throws {
        try await withNavigator(demoCertificates: true) { app in
            func post(_ path: String, _ body: String, token: String?, type: String = "application/json") async throws -> TestingHTTPResponse {
                var h: HTTPHeaders = ["Content-Type": type]
                if let token { h.bearerAuthorization = BearerAuthorization(token: token) }
                return try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(string: body))
            }
            struct APIError: Decodable {
                struct Field: Decodable { let field: String }
                let error: String
                let fields: [Field]?
            }
            func expect(_ res: TestingHTTPResponse, _ status: HTTPStatus, _ code: String, _ fields: [String]?) throws {
                #expect(res.status == status, "\(res.body.string)")
                let e = try JSONDecoder().decode(APIError.self, from: res.body)
                #expect(e.error == code, "\(res.body.string)")
                #expect(e.fields?.map(\.field) == fields, "\(res.body.string)")
            }
            try expect(try await post("/api/v1/auth/token", #"{"email":5,"password":"x"}"#, token: nil), .badRequest, "invalid_email", ["email"])
            try expect(try await post("/api/v1/auth/token", #"{"password":"x"}"#, token: nil), .badRequest, "bad_request", ["email"])
            try expect(try await post("/api/v1/auth/token", "email=a", token: nil, type: "application/x-www-form-urlencoded"),
                       .unsupportedMediaType, "unsupported_media_type", nil)

            let parent = try await apiToken(app, "parent@osinniki.example")
            try expect(try await post("/api/v1/children", #"{"surname":5}"#, token: parent), .badRequest, "invalid_surname", ["surname"])
            let children = try await ChildModel.query(on: app.db).count()
            let empty = try await post("/api/v1/children", "{}", token: parent)
            #expect(empty.status == .unprocessableEntity)
            #expect(try JSONDecoder().decode(APIError.self, from: empty.body).fields?.map(\.field).contains("snils") == true)
            let created = try await post("/api/v1/children", """
                {"surname":"Орлов","name":"Пётр","birthDate":"2014-06-01","sex":"male","snils":"\(freshSnils(90))",
                 "birthCertificateSeries":"II-ЛО","birthCertificateNumber":"654321"}
                """, token: parent)
            #expect(created.status == .created, "\(created.body.string)")
            #expect(try await ChildModel.query(on: app.db).count() == children + 1)
            struct ID: Decodable { let id: UUID }
            let child = try JSONDecoder().decode(ID.self, from: created.body).id
            let applied = try await post("/api/v1/children/\(child.lowercasedString)/certificate", "{}", token: parent)
            #expect(applied.status == .created, "\(applied.body.string)")
            let pending = try JSONDecoder().decode(ID.self, from: applied.body).id

            let muni = try await apiToken(app, "osinniki@kuzbass.example")
            let reject = "/api/v1/certificates/\(pending.lowercasedString)/reject"
            try expect(try await post(reject, #"{"reason":5}"#, token: muni), .badRequest, "invalid_reason", ["reason"])
            try expect(try await post(reject, "{}", token: muni), .unprocessableEntity, "invalid_reason", ["reason"])
            #expect(try await post(reject, #"{"reason":"СНИЛС не совпадает"}"#, token: muni).status == .ok)
            #expect(try await CertificateModel.find(pending, on: app.db)?.status == .rejected)

            let osinniki = try await MunicipalityModel.query(on: app.db).filter(\.$regionCode == "42").filter(\.$code == "33").first()!.requireID()
            let active = try await CertificateModel.query(on: app.db).filter(\.$municipalityID == osinniki).filter(\.$status == .active).first()!
            let freeze = "/api/v1/municipality/certificates/\(active.id!.lowercasedString)/freeze"
            try expect(try await post(freeze, #"{"frozen":"yes"}"#, token: muni), .badRequest, "invalid_frozen", ["frozen"])
            try expect(try await post(freeze, "{}", token: muni), .unprocessableEntity, "validation_failed", ["frozen"])
            #expect(try await post(freeze, #"{"frozen":true}"#, token: muni).status == .ok)
            #expect(try await CertificateModel.find(active.id, on: app.db)?.frozen == true)
        }
    }
}
