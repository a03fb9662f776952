import Domain
import Fluent
import Foundation
import Vapor

/// Bulk import of certificates by a municipality from CSV or XLSX: one row per child, with the parent.
/// Every row is checked like a form; a valid row creates (or finds) the family account, the child and a
/// confirmed certificate; a row already imported changes nothing; the report says what happened per row.
struct ImportService: Sendable {
    static let columns = ["Фамилия родителя", "Имя родителя", "Отчество родителя", "Эл. почта родителя", "Телефон родителя",
                          "Фамилия ребёнка", "Имя ребёнка", "Отчество ребёнка", "Дата рождения", "Пол", "СНИЛС",
                          "Серия свидетельства о рождении", "Номер свидетельства о рождении"]
    static let maxRows = 50_000

    enum Outcome: Sendable, Equatable {
        case created(String)
        case unchanged(String)
        case failed([String])
    }

    struct RowResult: Sendable {
        let line: Int
        let child: String
        let outcome: Outcome
    }

    struct Report: Sendable {
        var rows: [RowResult] = []
        var created: Int { rows.filter { if case .created = $0.outcome { true } else { false } }.count }
        var unchanged: Int { rows.filter { if case .unchanged = $0.outcome { true } else { false } }.count }
        var failed: Int { rows.filter { if case .failed = $0.outcome { true } else { false } }.count }
    }

    let store: Store
    let certificates: CertificateService

    static func parseSex(_ s: String) -> String? {
        switch s.trimmingCharacters(in: .whitespaces).lowercased() {
        case "м", "муж", "мужской", "male", "m": "male"
        case "ж", "жен", "женский", "female", "f": "female"
        default: nil
        }
    }

    /// ISO, ДД.ММ.ГГГГ, or an Excel serial day number.
    static func parseDate(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        if let d = LocalDate(iso: t) ?? ChildInput.russianDate(t) { return d.iso }
        if let serial = Double(t), serial > 1000, serial < 80_000, serial == serial.rounded() {
            return LocalDate(dayNumber: Int(serial) - 25569).iso
        }
        return t
    }

    func run(data: [UInt8], municipalityID: UUID, by principal: Principal, progress: ((Int, Int) -> Void)? = nil) async throws -> Report {
        let rows: [[String]]
        do { rows = try XLSXReader.rows(data) } catch let e as Spreadsheet.Unreadable {
            throw FieldError(field: "file", message: e.message)
        }
        guard let header = rows.first, header.count >= Self.columns.count,
              header[0].lowercased().contains("фамилия") else {
            throw FieldError(field: "file", message: "Первая строка файла — заголовок из \(Self.columns.count) столбцов: \(Self.columns.joined(separator: "; ")).")
        }
        guard rows.count - 1 <= Self.maxRows else {
            throw FieldError(field: "file", message: "В файле больше \(Self.maxRows) строк: разделите его на части.")
        }
        guard let municipality = try await MunicipalityModel.find(municipalityID, on: store.db) else { throw Abort(.notFound) }
        let service = certificates
        let today = service.today(municipality.regionCode)
        var report = Report()
        let body = Array(rows.dropFirst())
        for (i, raw) in body.enumerated() {
            let line = i + 2
            let r = raw + [String](repeating: "", count: max(0, Self.columns.count - raw.count))
            let childName = "\(r[5]) \(r[6])".trimmingCharacters(in: .whitespaces)
            if r.contains(where: Validation.hasControlCharacters) {
                report.rows.append(.init(line: line, child: childName, outcome: .failed(["Строка содержит недопустимые символы."])))
                continue
            }
            var snils = Identifiers.normalized(r[10]) ?? r[10]
            if !snils.isEmpty && snils.count < 11 && snils.allSatisfy(\.isNumber) { snils = String(repeating: "0", count: 11 - snils.count) + snils }
            let input = ChildInput(surname: r[5], name: r[6], patronymic: r[7], birthDate: Self.parseDate(r[8]),
                                   sex: Self.parseSex(r[9]) ?? "", snils: snils, birthCertificateSeries: r[11], birthCertificateNumber: r[12])
            var errors: [String] = []
            var valid: ChildInput.Valid? = nil
            switch input.validate(today: today) {
            case .success(let v): valid = v
            case .failure(let e): errors += e.errors.map(\.message)
            }
            var email = ""
            switch Validation.email(r[3]) {
            case .success(let e): email = e
            case .failure(let e): errors.append(e.message)
            }
            if r[0].trimmingCharacters(in: .whitespaces).isEmpty || r[1].trimmingCharacters(in: .whitespaces).isEmpty {
                errors.append("Укажите фамилию и имя родителя.")
            }
            if let v = valid, let refusal = CertificateRules.ageRefusal(birth: v.birthDate, today: today) { errors.append(refusal.message) }
            guard errors.isEmpty, let v = valid else {
                report.rows.append(.init(line: line, child: childName, outcome: .failed(errors)))
                continue
            }
            do {
                report.rows.append(.init(line: line, child: childName,
                                         outcome: try await importRow(v, email: email, parent: r, municipality: municipality,
                                                                      by: principal, service: service)))
            } catch let e as FieldError {
                report.rows.append(.init(line: line, child: childName, outcome: .failed([e.message])))
            } catch let e as AppError {
                report.rows.append(.init(line: line, child: childName, outcome: .failed([e.reason])))
            }
            progress?(i + 1, body.count)
        }
        return report
    }

    private func importRow(_ v: ChildInput.Valid, email: String, parent r: [String], municipality: MunicipalityModel,
                           by principal: Principal, service: CertificateService) async throws -> Outcome {
        let db = store.db
        if let existing = try await ChildModel.query(on: db).filter(\.$snils == v.snils).first() {
            let family = try await UserModel.find(existing.familyID, on: db)
            guard existing.municipalityID == municipality.id, family?.email == email else {
                return .failed(["Ребёнок с таким СНИЛС уже зарегистрирован в другой семье или другом муниципалитете."])
            }
            if let cert = try await service.certificate(ofChild: existing.requireID(), on: db) {
                if cert.status == .active { return .unchanged(cert.number ?? "") }
                if cert.status == .pending {
                    return .created(try await service.confirm(cert.requireID(), by: principal, on: db).number ?? "")
                }
            }
            let cert = try await service.apply(for: existing, on: db)
            return .created(try await service.confirm(cert.requireID(), by: principal, on: db).number ?? "")
        }
        var family = try await UserModel.query(on: db).filter(\.$email == email).first()
        if let f = family, f.role != Role.parent || f.regionCode != municipality.regionCode {
            return .failed(["Адрес \(email) принадлежит учётной записи, которая не является учётной записью семьи этого региона."])
        }
        if family == nil {
            let u = UserModel()
            u.email = email
            // No password yet: the family sets one at the municipality or an issuing point.
            u.passwordHash = "!"
            u.surname = String(r[0].trimmingCharacters(in: .whitespaces).prefix(60))
            u.name = String(r[1].trimmingCharacters(in: .whitespaces).prefix(60))
            u.patronymic = String(r[2].trimmingCharacters(in: .whitespaces).prefix(60))
            let phone = r[4].trimmingCharacters(in: .whitespaces)
            u.phone = phone.isEmpty ? nil : String(phone.prefix(30))
            u.role = Role.parent
            u.regionCode = municipality.regionCode
            u.municipalityID = municipality.id
            u.mayConfirmCertificates = false
            u.isActive = true
            try await u.create(on: db)
            family = u
        }
        let input = ChildInput(surname: v.surname, name: v.name, patronymic: v.patronymic, birthDate: v.birthDate.iso, sex: v.sex.rawValue,
                               snils: v.snils, birthCertificateSeries: v.birthCertificateSeries, birthCertificateNumber: v.birthCertificateNumber)
        let child = try await service.addChild(family: family!, input: input, on: db)
        let cert = try await service.apply(for: child, on: db)
        return .created(try await service.confirm(cert.requireID(), by: principal, on: db).number ?? "")
    }
}
