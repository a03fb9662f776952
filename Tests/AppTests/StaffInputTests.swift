@testable import App
import Domain
import Foundation
import Testing

/// The one mapping of each staff input (registry, certification, municipal programme, agreements) from a form and from a
/// JSON body: the same Domain input either way, and a JSON value of the wrong type refused with a 400 naming the field.
@Suite struct StaffInputTests {
    static func form(_ encoded: String) -> InputBody { InputBody(source: .form, values: InputBody.parse(encoded)) }

    static func json(_ text: String) throws -> InputBody {
        guard case .object(let o) = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { throw CocoaError(.coderInvalidValue) }
        return InputBody(source: .json, values: o)
    }

    /// `map` refuses the body with a 400 `invalid_<field>` that names `field`.
    static func refused<T>(_ field: String, _ map: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try map()
            Issue.record("\(field): not refused", sourceLocation: sourceLocation)
        } catch let e as AppError {
            #expect(e.status == .badRequest && e.code == "invalid_\(field)" && e.fields.map(\.field) == [field], "\(e)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(field): \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func programCardFromTheFormAndFromJSON() throws {
        let f = try ProgramInput(Self.form("name=Скетчинг&annotation=Зарисовки&direction=art&activityKinds%5B%5D=painting&activityKinds%5B%5D=drawing"
            + "&level=start&form=full-time&distance=on&ageFromYears=10&ageFromMonths=6&ageToYears=16&ageToMonths=11&disabilities=hearing&funding=paid"))
        let j = try ProgramInput(Self.json("""
            {"name":"Скетчинг","annotation":"Зарисовки","direction":"art","activityKinds":["painting","drawing"],"level":"start","form":"full-time",
             "distance":true,"ageFromMonths":126,"ageToMonths":203,"disabilities":["hearing"],"funding":"paid"}
            """))
        #expect(f == j)
        #expect(f.activityKinds == ["painting", "drawing"] && f.distance && f.ageFromYears == "10" && f.ageFromMonths == "6" && f.ageToMonths == "11")
        // JSON's months in all are split for the same checks; a negative number is refused by them, naming the years' field.
        let negative = try ProgramInput(Self.json(#"{"ageFromMonths":-5}"#))
        #expect(negative.ageFromYears == "-1" && negative.ageToYears == "")
        #expect(try ProgramInput(Self.form("distance=")).distance == false)
        Self.refused("name") { try ProgramInput(Self.json(#"{"name":5}"#)) }
        Self.refused("activityKinds") { try ProgramInput(Self.json(#"{"activityKinds":"painting"}"#)) }
        Self.refused("distance") { try ProgramInput(Self.json(#"{"distance":"true"}"#)) }
        Self.refused("ageFromMonths") { try ProgramInput(Self.json(#"{"ageFromMonths":12.5}"#)) }
    }

    @Test func moduleFromTheFormInRoublesAndFromJSONInKopecks() throws {
        let f = try ModuleInput(Self.form("name=Основной&months=4&hours=32&minChildren=4&maxChildren=8&price=12+000%2C50"))
        let j = try ModuleInput(Self.json(#"{"name":"Основной","months":4,"hours":32,"minChildren":4,"maxChildren":8,"price":1200050}"#))
        #expect(f.price == "12 000,50" && j.price == "12000.50")
        #expect(try f.validate(funding: .certificate).get() == j.validate(funding: .certificate).get())
        #expect(try ModuleInput(Self.json(#"{"price":0}"#)).price == "0.00")
        #expect(try ModuleInput(Self.json(#"{"price":1800000.0}"#)).price == "18000.00")
        // A whole number out of range goes on to the module's checks (422); anything else is a 400 naming the field.
        #expect(try ModuleInput(Self.json(#"{"price":10000000001}"#)).price == "-1")
        for bad in ["1.5", #""100""#, "true", "[1]"] { Self.refused("price") { try ModuleInput(Self.json(#"{"price":\#(bad)}"#)) } }
        Self.refused("months") { try ModuleInput(Self.json(#"{"months":"4"}"#)) }
    }

    @Test func groupFromTheFormAndFromJSON() throws {
        let module = UUID()
        let f = try GroupInput(Self.form("module=\(module.uuidString)&name=Суббота&teacher=Соколова&address=Осинники&latitude=53%2C59&longitude=87.33"
            + "&startsOn=2026-12-05&endsOn=2027-03-27&capacity=8&schedule=сб+12%3A00-14%3A00%3B+пн+10%3A00-11%3A00&enrollFrom=&status=closed"))
        let j = try GroupInput(Self.json("""
            {"moduleId":"\(module.lowercasedString)","name":"Суббота","teacher":"Соколова","address":"Осинники","latitude":53.59,"longitude":87.33,
             "startsOn":"2026-12-05","endsOn":"2027-03-27","capacity":8,"schedule":[{"day":6,"start":"12:00","end":"14:00"},{"day":1,"start":"10:00","end":"11:00"}],
             "status":"closed"}
            """))
        #expect(f.module == module && j.module == module)
        #expect(j.schedule == "6 12:00-14:00; 1 10:00-11:00" && j.latitude == "53.59")
        #expect(try f.validate(maxChildren: 10).get() == j.validate(maxChildren: 10).get())
        #expect(try GroupInput(Self.form("name=x")).status == GroupStatus.open.rawValue)
        #expect(try GroupInput(Self.form("module=not-an-id")).module == nil)
        Self.refused("moduleId") { try GroupInput(Self.json(#"{"moduleId":"not-an-id"}"#)) }
        Self.refused("latitude") { try GroupInput(Self.json(#"{"latitude":"53.5"}"#)) }
        Self.refused("capacity") { try GroupInput(Self.json(#"{"capacity":"8"}"#)) }
        Self.refused("schedule") { try GroupInput(Self.json(#"{"schedule":"сб 12:00-14:00"}"#)) }
        Self.refused("schedule[0]") { try GroupInput(Self.json(#"{"schedule":[5]}"#)) }
        Self.refused("schedule[1].day") { try GroupInput(Self.json(#"{"schedule":[{"day":1,"start":"10:00","end":"11:00"},{"day":"сб","start":"10:00","end":"11:00"}]}"#)) }
        Self.refused("schedule[0].end") { try GroupInput(Self.json(#"{"schedule":[{"day":1,"start":"10:00"}]}"#)) }
    }

    @Test func providerCardAndRegistrationFromTheFormAndFromJSON() throws {
        let municipality = UUID()
        let card = "fullName=ООО+«Рост»&shortName=Рост&kind=organization&ownership=private&inn=4214000000&ogrn=1024201000000&kpp=421401001"
            + "&legalAddress=Осинники&actualAddress=Осинники&bankBIK=043207612"
        let f = try ProviderRegistration(Self.form(card + "&municipality=\(municipality.uuidString)&staffSurname=Иванова&staffName=Мария"
            + "&staffEmail=rost%40example.ru&staffPassword=secret123"))
        let j = try ProviderRegistration(Self.json("""
            {"card":{"fullName":"ООО «Рост»","shortName":"Рост","kind":"organization","ownership":"private","inn":"4214000000","ogrn":"1024201000000",
             "kpp":"421401001","legalAddress":"Осинники","actualAddress":"Осинники","bankBIK":"043207612"},
             "municipalityId":"\(municipality.lowercasedString)","staffSurname":"Иванова","staffName":"Мария","staffEmail":"rost@example.ru",
             "staffPassword":"secret123"}
            """))
        #expect(f.card == j.card && f.card.shortName == "Рост" && f.card.bankBIK == "043207612")
        #expect(f.municipality == municipality && j.municipality == municipality)
        #expect([f.staffSurname, f.staffName, f.staffEmail, f.staffPassword] == [j.staffSurname, j.staffName, j.staffEmail, j.staffPassword])
        #expect(try ProviderInput(Self.form(card)) == f.card)
        #expect(try ProviderRegistration(Self.json("{}")).card == ProviderInput())
        Self.refused("card") { try ProviderRegistration(Self.json(#"{"card":"Рост"}"#)) }
        Self.refused("card.inn") { try ProviderRegistration(Self.json(#"{"card":{"inn":4214000000}}"#)) }
        Self.refused("municipalityId") { try ProviderRegistration(Self.json(#"{"municipalityId":42}"#)) }
        Self.refused("staffPassword") { try ProviderRegistration(Self.json(#"{"staffPassword":["a"]}"#)) }
    }

    @Test func moderationAndIssuingPoint() throws {
        let f = try ModerationInput(Self.form("decision=refuse&reason=Нет+лицензии"))
        let j = try ModerationInput(Self.json(#"{"decision":"refuse","reason":"Нет лицензии"}"#))
        #expect(try f.validate() == .refuse && j.validate() == .refuse && f.reason == j.reason)
        for body in [try ModerationInput(Self.form("decision=maybe")), try ModerationInput(Self.json("{}"))] {
            #expect(throws: AppError.self) { try body.validate() }
        }
        Self.refused("decision") { try ModerationInput(Self.json(#"{"decision":true}"#)) }
        #expect(try IssuingPointInput(Self.form("value=1")).validate() && !IssuingPointInput(Self.form("value=0")).validate())
        #expect(try IssuingPointInput(Self.json(#"{"value":true}"#)).validate() && !IssuingPointInput(Self.json(#"{"value":false}"#)).validate())
        do {
            _ = try IssuingPointInput(Self.json("{}")).validate()
            Issue.record("a missing value is accepted")
        } catch let e as AppError {
            #expect(e.status == .badRequest && e.fields.map(\.field) == ["value"])
        }
        Self.refused("value") { try IssuingPointInput(Self.json(#"{"value":"yes"}"#)) }
    }

    @Test func certificationRefusalAndPriceCap() throws {
        #expect(try CertificationInput(Self.form("normative0=16+380&normative1=&other=1")).normatives == ["16 380", ""])
        #expect(try CertificationInput(Self.json(#"{"normatives":[1638000,1,0,1800000.0]}"#)).normatives == ["16380.00", "0.01", "0.00", "18000.00"])
        #expect(try CertificationInput(Self.json(#"{"normatives":[10000000001]}"#)).normatives == ["-1"])
        #expect(try CertificationInput(Self.json("{}")).normatives.isEmpty)
        Self.refused("normatives") { try CertificationInput(Self.json(#"{"normatives":"много"}"#)) }
        for bad in ["1.5", #""100""#, "true", "null", "[1]"] {
            Self.refused("normatives[1]") { try CertificationInput(Self.json(#"{"normatives":[1638000,\#(bad)]}"#)) }
        }
        #expect(try CertificationRefusalInput(Self.form("reason=Нет+плана")).reason == CertificationRefusalInput(Self.json(#"{"reason":"Нет плана"}"#)).reason)
        Self.refused("reason") { try CertificationRefusalInput(Self.json(#"{"reason":1}"#)) }
        #expect(try PriceCapInput(Self.form("priceCapPercent=120")).percent == PriceCapInput(Self.json(#"{"percent":120}"#)).percent)
        Self.refused("percent") { try PriceCapInput(Self.json(#"{"percent":"120"}"#)) }
    }

    @Test func municipalProgrammeInputs() throws {
        let pf = try PeriodInput(Self.form("startsOn=01.09.2026&endsOn=2027-08-31"))
        let pj = try PeriodInput(Self.json(#"{"startsOn":"01.09.2026","endsOn":"2027-08-31","contractingOpen":true}"#))
        #expect(pf.startsOn == pj.startsOn && pf.endsOn == pj.endsOn && !pf.contractingOpen && pj.contractingOpen)
        Self.refused("startsOn") { try PeriodInput(Self.json(#"{"startsOn":20260901}"#)) }
        Self.refused("contractingOpen") { try PeriodInput(Self.json(#"{"contractingOpen":1}"#)) }
        #expect(try ContractingInput(Self.form("open=1")).open && !ContractingInput(Self.form("open=0")).open && !ContractingInput(Self.form("")).open)
        #expect(try ContractingInput(Self.json(#"{"open":true}"#)).open && !ContractingInput(Self.json("{}")).open)
        Self.refused("open") { try ContractingInput(Self.json(#"{"open":"1"}"#)) }

        let gf = try CertificateGroupInput(Self.form("name=Основная&capCount=100&capSum=1+500+000%2C00&returnAfterDays=30&carryOver=on"))
        let gj = try CertificateGroupInput(Self.json(#"{"name":"Основная","capCount":100,"capSum":150000000,"returnAfterDays":30,"carryOver":true}"#))
        #expect(try gf.validate().get() == gj.validate().get())
        #expect(try gj.validate().get().capSum == 150_000_000 && !gj.prorate)
        #expect(try CertificateGroupInput(Self.json(#"{"name":"Большая","capCount":1,"capSum":99999999999999,"returnAfterDays":1}"#)).validate().get().capSum == 99_999_999_999_999)
        #expect(throws: ValidationFailure([FieldError(field: "capSum", message: "Лимит суммы номиналов — сумма в рублях, например 1 500 000,00.")])) {
            try CertificateGroupInput(Self.json(#"{"name":"Большая","capCount":1,"capSum":100000000000000,"returnAfterDays":1}"#)).validate().get()
        }
        #expect(throws: ValidationFailure.self) { try CertificateGroupInput(Self.json("{}")).validate().get() }
        Self.refused("capSum") { try CertificateGroupInput(Self.json(#"{"capSum":"100"}"#)) }
        Self.refused("capCount") { try CertificateGroupInput(Self.json(#"{"capCount":1.5}"#)) }
        Self.refused("prorate") { try CertificateGroupInput(Self.json(#"{"prorate":"on"}"#)) }

        let period = UUID()
        let nf = try NominalInput(Self.form("period=\(period.uuidString)&nominal=12+000%2C00"))
        let nj = try NominalInput(Self.json(#"{"periodId":"\#(period.lowercasedString)","nominal":1200000}"#))
        #expect(try nf.validate() == period && nj.validate() == period)
        #expect(Roubles.parse(nf.nominal) == 1_200_000 && Roubles.parse(nj.nominal) == 1_200_000)
        #expect(throws: FieldError.self) { try NominalInput(Self.form("nominal=1")).validate() }
        Self.refused("periodId") { try NominalInput(Self.json(#"{"periodId":5}"#)) }
        Self.refused("nominal") { try NominalInput(Self.json(#"{"nominal":true}"#)) }
    }

    @Test func agreements() throws {
        let provider = UUID()
        #expect(try AgreementInput(Self.form("provider=\(provider.uuidString)")).validate() == provider)
        #expect(try AgreementInput(Self.json(#"{"provider":"\#(provider.lowercasedString)"}"#)).validate() == provider)
        #expect(throws: FieldError.self) { try AgreementInput(Self.form("provider=")).validate() }
        #expect(throws: FieldError.self) { try AgreementInput(Self.json("{}")).validate() }
        Self.refused("provider") { try AgreementInput(Self.json(#"{"provider":"ДДТ"}"#)) }
        let agreement = UUID()
        #expect(try AgreementTerminationInput(Self.form("agreement=\(agreement.uuidString)")).validate() == agreement)
        #expect(try AgreementTerminationInput(Self.json(#"{"agreement":"\#(agreement.lowercasedString)"}"#)).validate() == agreement)
        #expect(throws: FieldError.self) { try AgreementTerminationInput(Self.form("agreement=x")).validate() }
        Self.refused("agreement") { try AgreementTerminationInput(Self.json(#"{"agreement":5}"#)) }
    }
}
