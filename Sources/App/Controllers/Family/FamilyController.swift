import Domain
import Fluent
import SQLKit
import Vapor

/// The family cabinet: registration, children, certificates, balances and statements, notifications.
enum FamilyController {
    // MARK: registration

    struct RegisterForm: Content {
        var surname: String?
        var name: String?
        var patronymic: String?
        var email: String?
        var phone: String?
        var municipality: String?
        var password: String?
        var repeatPassword: String?
    }

    static func municipalityOptions(_ db: any Database, selected: String?) async throws -> [FormBlock.Option] {
        let all = try await MunicipalityModel.query(on: db).sort(\.$regionCode, .descending).sort(\.$name).all()
        return [FormBlock.Option(value: "", label: "— выберите —", selected: selected == nil)] + all.map { m in
            let region = ReferenceData.region(code: m.regionCode)?.name ?? m.regionCode
            return FormBlock.Option(value: m.id!.lowercasedString, label: "\(m.name) (\(region))", selected: selected?.lowercased() == m.id!.lowercasedString)
        }
    }

    static func registerPage(req: Request) async throws -> View {
        try await renderRegister(req, form: RegisterForm(), errors: [])
    }

    static func renderRegister(_ req: Request, form f: RegisterForm, errors: [FieldError]) async throws -> View {
        let id = "register"
        let fields: [FormBlock.Field] = [
            .init("surname", "Фамилия", value: f.surname ?? "", required: true, autocomplete: "family-name", errors: errors, formID: id),
            .init("name", "Имя", value: f.name ?? "", required: true, autocomplete: "given-name", errors: errors, formID: id),
            .init("patronymic", "Отчество (если есть)", value: f.patronymic ?? "", autocomplete: "additional-name", errors: errors, formID: id),
            .init("email", "Электронная почта", type: "email", value: f.email ?? "", required: true, autocomplete: "email", errors: errors, formID: id),
            .init("phone", "Телефон", type: "tel", value: f.phone ?? "", hint: "Например, +7 913 123-45-67", autocomplete: "tel", errors: errors, formID: id),
            .init("municipality", "Муниципалитет, где живёт семья", type: "select", required: true,
                  options: try await municipalityOptions(req.db, selected: f.municipality), errors: errors, formID: id),
            .init("password", "Пароль", type: "password", hint: "Не менее 8 символов, хотя бы одна буква и одна цифра.", required: true,
                  autocomplete: "new-password", errors: errors, formID: id),
            .init("repeatPassword", "Пароль ещё раз", type: "password", required: true, autocomplete: "new-password", errors: errors, formID: id),
        ]
        let page = CabinetPage(layout: req.layout("Регистрация семьи"), heading: "Регистрация родителя",
                               lead: "Зарегистрируйтесь, чтобы добавить детей, получить сертификат и записываться на программы.",
                               sections: [Section(heading: "Данные родителя (законного представителя)",
                                                  forms: [FormBlock(id: id, action: SiteRoute.register.url, fields: fields, submit: "Зарегистрироваться")])],
                               errors: errors)
        return try await req.view.render("cabinet/page", page)
    }

    static func register(req: Request) async throws -> Response {
        let f = try req.content.decode(RegisterForm.self)
        var errors: [FieldError] = []
        func person(_ raw: String?, _ field: String, _ label: String, required: Bool) -> String {
            switch Validation.personName(raw ?? "", field: field, label: label, required: required) {
            case .success(let s): return s
            case .failure(let e): errors.append(e); return ""
            }
        }
        let surname = person(f.surname, "surname", "фамилию", required: true)
        let name = person(f.name, "name", "имя", required: true)
        let patronymic = person(f.patronymic, "patronymic", "отчество", required: false)
        var email = ""
        switch Validation.email(f.email ?? "") {
        case .success(let e): email = e
        case .failure(let e): errors.append(e)
        }
        let phone = (f.phone ?? "").trimmingCharacters(in: .whitespaces)
        if phone.count > 30 || !phone.allSatisfy({ $0.isNumber || " +-()".contains($0) }) {
            errors.append(FieldError(field: "phone", message: "Телефон может содержать только цифры, пробелы, скобки, «+» и «-»."))
        }
        var municipality: MunicipalityModel? = nil
        if let raw = f.municipality, let id = UUID(uuidString: raw) { municipality = try await MunicipalityModel.find(id, on: req.db) }
        if municipality == nil { errors.append(FieldError(field: "municipality", message: "Выберите муниципалитет из списка.")) }
        if let e = Validation.newPassword(f.password ?? "", field: "password") { errors.append(e) }
        if (f.password ?? "") != (f.repeatPassword ?? "") {
            errors.append(FieldError(field: "repeatPassword", message: "Пароль и его повтор не совпадают."))
        }
        if errors.isEmpty, try await UserModel.query(on: req.db).filter(\.$email == email).first() != nil {
            errors.append(FieldError(field: "email", message: "Учётная запись с таким адресом уже есть. Войдите или восстановите пароль."))
        }
        guard errors.isEmpty, let municipality else {
            var form = f
            form.password = nil
            form.repeatPassword = nil
            return try await renderRegister(req, form: form, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let auth = req.application.authService
        let user = UserModel()
        user.email = email
        user.passwordHash = try await auth.hashPassword(f.password!, on: req.application)
        user.surname = surname
        user.name = name
        user.patronymic = patronymic
        user.phone = phone.isEmpty ? nil : phone
        user.role = Role.parent
        user.regionCode = municipality.regionCode
        user.municipalityID = municipality.id
        user.mayConfirmCertificates = false
        user.isActive = true
        do { try await user.create(on: req.db) } catch where LedgerService.isUniqueViolation(error) {
            return try await renderRegister(req, form: f, errors: [FieldError(field: "email", message: "Учётная запись с таким адресом уже есть.")])
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let token = try await auth.openSession(for: user, address: req.clientAddress, db: req.db)
        let res = req.redirect(to: SiteRoute.cabinet(.parent).url, redirectType: .normal)
        res.cookies[AuthenticationMiddleware.sessionCookie] =
            req.cookie(AuthenticationMiddleware.sessionCookie, token, maxAge: Int(req.application.config.sessionLifetime))
        CSRFMiddleware.rotate(req)
        return res
    }

    // MARK: cabinet

    static func family(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        let children = try await ChildModel.scopedQuery(on: req.db, for: p)!.sort(\.$birthDate, .descending).all()
        let certs = try await CertificateModel.scopedQuery(on: req.db, for: p)!.all()
        let byChild = Dictionary(certs.map { ($0.childID, $0) }, uniquingKeysWith: { a, _ in a })
        let today = CertificateService.today(region: p.regionCode, at: req.now)
        let rows = children.map { c -> [Cell] in
            let cert = byChild[c.id!]
            let status = cert.map { cert in
                cert.status == .active ? "№ \(cert.number ?? "") — \(cert.kind.title)\(cert.frozen ? ", заморожен" : "")"
                    : cert.status.title
            } ?? "не оформлен"
            return CabinetViews.childRow(c, today: today) + [Cell(status)]
        }
        let unread = try await req.application.notifications.unreadCount(p.userID, on: req.db)
        let contracts = try await ContractModel.scopedQuery(on: req.db, for: p)!.filter(\.$status ~~ ContractStatus.live).all()
        let offers = contracts.filter { $0.status == .offered }.count
        let table = Table(caption: "Мои дети", headers: ["Ребёнок", "Дата рождения", "Возраст", "СНИЛС", "Сертификат"],
                          rows: rows, empty: "Дети ещё не добавлены.")
        return try await CabinetController.render(
            req, title: "Кабинет родителя", heading: "Кабинет родителя",
            lead: "Здесь вы видите своих детей, их сертификаты дополнительного образования, заявки и договоры.",
            sections: [
                Section(heading: "Дети", tables: [table], links: [Cell("Добавить ребёнка", href: SiteRoute.familyChildNew.url)]),
                Section(heading: "Заявки и договоры",
                        text: contracts.isEmpty ? "Заявок пока нет: найдите программу в каталоге и запишите ребёнка."
                            : "Действующих заявок и договоров: \(contracts.count)" + (offers > 0 ? ", из них ждут вашего согласия оферты: \(offers)." : "."),
                        links: [Cell("Заявки и договоры", href: SiteRoute.familyApplications.url),
                                Cell("Каталог программ", href: SiteRoute.catalog(query: nil).url)]),
                Section(heading: "Уведомления", text: unread > 0 ? "Непрочитанных уведомлений: \(unread)." : "Новых уведомлений нет.",
                        links: [Cell("Все уведомления", href: SiteRoute.familyNotifications.url)]),
            ])
    }

    // MARK: children

    struct ChildForm: Content {
        var surname: String?
        var name: String?
        var patronymic: String?
        var birthDate: String?
        var sex: String?
        var snils: String?
        var birthCertificateSeries: String?
        var birthCertificateNumber: String?

        var input: ChildInput {
            ChildInput(surname: surname ?? "", name: name ?? "", patronymic: patronymic ?? "", birthDate: birthDate ?? "",
                       sex: sex ?? "", snils: snils ?? "", birthCertificateSeries: birthCertificateSeries ?? "",
                       birthCertificateNumber: birthCertificateNumber ?? "")
        }

        init() {}
        init(_ c: ChildModel) {
            surname = c.surname
            name = c.name
            patronymic = c.patronymic
            birthDate = c.birthDate
            sex = c.sex
            snils = Identifiers.formatSNILS(c.snils)
            birthCertificateSeries = c.birthCertificateSeries
            birthCertificateNumber = c.birthCertificateNumber
        }
    }

    static func childFields(_ f: ChildForm, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        [
            .init("surname", "Фамилия ребёнка", value: f.surname ?? "", required: true, errors: errors, formID: formID),
            .init("name", "Имя", value: f.name ?? "", required: true, errors: errors, formID: formID),
            .init("patronymic", "Отчество (если есть)", value: f.patronymic ?? "", errors: errors, formID: formID),
            .init("birthDate", "Дата рождения", type: "date", value: f.birthDate ?? "", hint: "ДД.ММ.ГГГГ", required: true, errors: errors, formID: formID),
            .init("sex", "Пол", type: "select", required: true, options: [
                .init(value: "", label: "— выберите —", selected: f.sex == nil || f.sex == ""),
                .init(value: "female", label: "женский", selected: f.sex == "female"),
                .init(value: "male", label: "мужской", selected: f.sex == "male"),
            ], errors: errors, formID: formID),
            .init("snils", "СНИЛС ребёнка", value: f.snils ?? "", hint: "11 цифр, например 123-456-789 64", required: true, errors: errors, formID: formID),
            .init("birthCertificateSeries", "Серия свидетельства о рождении", value: f.birthCertificateSeries ?? "", hint: "Например, I-ЛО", required: true, errors: errors, formID: formID),
            .init("birthCertificateNumber", "Номер свидетельства о рождении", value: f.birthCertificateNumber ?? "", hint: "6 цифр", required: true, errors: errors, formID: formID),
        ]
    }

    static func renderChildForm(_ req: Request, form: ChildForm, errors: [FieldError], action: String, heading: String,
                                status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = CabinetPage(layout: req.layout(heading), heading: heading,
                               lead: "Данные нужны для сертификата: их проверят при подтверждении личности ребёнка.",
                               sections: [Section(heading: "Данные ребёнка",
                                                  forms: [FormBlock(id: "child", action: action, fields: childFields(form, errors: errors, formID: "child"), submit: "Сохранить")])],
                               errors: errors)
        return try await req.view.render("cabinet/page", page).encodeResponse(status: status, for: req)
    }

    static func newChildPage(req: Request) async throws -> Response {
        try await renderChildForm(req, form: ChildForm(), errors: [], action: SiteRoute.familyChildNew.url, heading: "Новый ребёнок")
    }

    static func createChild(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let form = try req.content.decode(ChildForm.self)
        guard let family = try await UserModel.find(p.userID, on: req.db) else { throw Abort(.unauthorized) }
        do {
            let child = try await req.application.navigator.certificates.addChild(family: family, input: form.input, on: req.db)
            return req.redirect(to: SiteRoute.familyChild(child.id!).url, redirectType: .normal)
        } catch let e as ValidationFailure {
            return try await renderChildForm(req, form: form, errors: e.errors, action: SiteRoute.familyChildNew.url,
                                             heading: "Новый ребёнок", status: .unprocessableEntity)
        } catch let e as FieldError {
            return try await renderChildForm(req, form: form, errors: [e], action: SiteRoute.familyChildNew.url,
                                             heading: "Новый ребёнок", status: .unprocessableEntity)
        }
    }

    static func editChildPage(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        return try await renderChildForm(req, form: ChildForm(child), errors: [], action: SiteRoute.familyChildEdit(child.id!).url,
                                         heading: "Изменить данные ребёнка")
    }

    static func updateChild(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        let form = try req.content.decode(ChildForm.self)
        do {
            try await req.application.navigator.certificates.updateChild(child, input: form.input, on: req.db)
            return req.redirect(to: SiteRoute.familyChild(child.id!).url, redirectType: .normal)
        } catch let e as ValidationFailure {
            return try await renderChildForm(req, form: form, errors: e.errors, action: SiteRoute.familyChildEdit(child.id!).url,
                                             heading: "Изменить данные ребёнка", status: .unprocessableEntity)
        } catch let e as FieldError {
            return try await renderChildForm(req, form: form, errors: [e], action: SiteRoute.familyChildEdit(child.id!).url,
                                             heading: "Изменить данные ребёнка", status: .unprocessableEntity)
        }
    }

    static func deleteChild(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        try await req.application.navigator.certificates.removeChild(child, on: req.db)
        return req.redirect(to: SiteRoute.cabinet(.parent).url, redirectType: .normal)
    }

    static func apply(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        _ = try await req.application.navigator.certificates.apply(for: child, on: req.db)
        return req.redirect(to: SiteRoute.familyChild(child.id!).url + "?done=applied", redirectType: .normal)
    }

    static func financing(req: Request) async throws -> Response {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard let cert = try await CertificateModel.query(on: req.db).filter(\.$childID == child.id!).first() else { throw Abort(.notFound) }
        _ = try await req.application.navigator.certificates.makeFinancing(cert.requireID(), on: req.db)
        return req.redirect(to: SiteRoute.familyChild(child.id!).url + "?done=financing", redirectType: .normal)
    }

    // MARK: the child's page: data, certificate, balances, statement

    static func child(req: Request) async throws -> View {
        let child = try await req.find(ChildModel.self, req.parameters.get("id", as: UUID.self), for: .read)
        let p = try req.requirePrincipal()
        let muni = try await req.directory.municipality(child.municipalityID)?.name ?? "—"
        let today = CertificateService.today(region: child.regionCode, at: req.now)
        let cert = try await CertificateModel.query(on: req.db).filter(\.$childID == child.id!).first()
        let isFamily = p.role == .parent
        var dataSection = Section(heading: "Данные ребёнка", facts: CabinetViews.childFacts(child, municipality: muni, today: today))
        if isFamily && (cert == nil || cert?.status == .rejected) {
            dataSection = Section(heading: dataSection.heading, facts: dataSection.facts,
                                  forms: [FormBlock(id: "delete-child", action: SiteRoute.familyChildDelete(child.id!).url,
                                                    submit: "Удалить ребёнка", danger: true)],
                                  links: [Cell("Изменить данные", href: SiteRoute.familyChildEdit(child.id!).url)])
        }
        var sections = [dataSection]
        sections += try await certificateSections(req, child: child, cert: cert, forFamily: isFamily)
        let notice: String? = switch req.query[String.self, at: "done"] {
        case "applied": "Заявление на сертификат подано. Подтвердите личность ребёнка в пункте выдачи сертификатов."
        case "financing": "Сертификат переведён в сертификат персонифицированного финансирования."
        default: nil
        }
        var page = CabinetPage(layout: req.layout(child.fullName), heading: child.fullName, lead: "Сведения о ребёнке и его сертификате.",
                               sections: sections)
        page.notice = notice
        return try await req.view.render("cabinet/page", page)
    }

    static func certificateSections(_ req: Request, child: ChildModel, cert: CertificateModel?, forFamily: Bool) async throws -> [Section] {
        guard let cert else {
            return [Section(heading: "Сертификат", text: "Сертификат дополнительного образования ещё не оформлен.",
                            forms: forFamily ? [FormBlock(id: "apply", action: SiteRoute.familyChildApply(child.id!).url,
                                                          submit: "Подать заявление на сертификат")] : [])]
        }
        var facts = [Fact(label: "Статус", value: cert.status.title + (cert.frozen ? " (заморожен)" : ""))]
        if let n = cert.number { facts.insert(Fact(label: "Номер", value: n), at: 0) }
        facts.append(Fact(label: "Тип", value: cert.kind.title))
        if let closes = LocalDate(iso: cert.closesOn) { facts.append(Fact(label: "Действует до", value: closes.adding(days: -1).russian)) }
        if let reason = cert.rejectionReason, cert.status == .rejected { facts.append(Fact(label: "Причина отказа", value: reason)) }
        var forms: [FormBlock] = []
        if forFamily && cert.status == .rejected {
            forms.append(FormBlock(id: "apply", action: SiteRoute.familyChildApply(child.id!).url, submit: "Подать заявление снова"))
        }
        if forFamily && cert.status == .active && cert.kind == .accounting && !cert.frozen {
            forms.append(FormBlock(id: "financing", action: SiteRoute.familyChildFinancing(child.id!).url,
                                   submit: "Перевести в сертификат ПФ"))
        }
        var text: String? = nil
        if cert.status == .pending {
            text = "Заявление ждёт подтверждения: придите с ребёнком, его свидетельством о рождении и СНИЛС в пункт выдачи сертификатов или в муниципалитет."
        } else if cert.kind == .accounting && cert.status == .active {
            text = "Сертификат учёта позволяет записываться на бесплатные программы. Сертификат ПФ оплачивает сертифицированные программы."
        }
        var sections = [Section(heading: "Сертификат", text: text, facts: facts, forms: forms)]
        sections += try await ledgerSections(req, cert: cert)
        return sections
    }

    /// Amounts per period and the statement of every entry.
    static func ledgerSections(_ req: Request, cert: CertificateModel) async throws -> [Section] {
        let rows = try await req.db.sql.select().columns("period_id", "granted", "reserved", "spent", "expired").from("ledger_balances")
            .where("certificate_id", .equal, cert.requireID()).all()
        guard !rows.isEmpty else { return [] }
        var periods: [UUID: PeriodModel] = [:]
        for p in try await PeriodModel.query(on: req.db).filter(\.$municipalityID == cert.municipalityID).all() { periods[p.id!] = p }
        func periodTitle(_ id: UUID) -> String {
            guard let p = periods[id], let s = LocalDate(iso: p.startsOn), let e = LocalDate(iso: p.endsOn) else { return "—" }
            return "\(s.russian) – \(e.russian)"
        }
        var balanceRows: [[Cell]] = []
        var sections: [Section] = []
        for r in rows {
            let pid = try r.decode(column: "period_id", as: UUID.self)
            let b = try LedgerBalance(row: r)
            balanceRows.append([Cell(periodTitle(pid)), Cell(Money(kopecks: b.granted).formatted), Cell(Money(kopecks: b.available).formatted),
                                Cell(Money(kopecks: b.reserved).formatted), Cell(Money(kopecks: b.spent).formatted)])
            let lines = try await req.application.ledger.statement(certificateID: cert.requireID(), periodID: pid, on: req.db)
            let zone = TimeZone(identifier: ReferenceData.region(code: cert.regionCode)?.timeZone ?? "Asia/Novokuznetsk")!
            sections.append(Section(heading: "Выписка за период \(periodTitle(pid))", tables: [
                Table(caption: "Операции по сертификату", headers: ["Дата", "Операция", "Сумма"],
                      rows: lines.map { l in
                          let title = l.kind.title + (l.contractID.map { " № " + $0.uuidString.prefix(8).uppercased() } ?? "")
                          let sign = [.grant, .release, .correction].contains(l.kind) ? "+" : "−"
                          return [Cell(LocalDate(l.at, in: zone).russian), Cell(title + (l.note.map { " (\($0))" } ?? "")),
                                  Cell(sign + Money(kopecks: l.amount).formatted)]
                      }),
            ]))
        }
        return [Section(heading: "Средства сертификата", tables: [
            Table(caption: "Средства по периодам", headers: ["Период", "Начислено", "Доступно", "Зарезервировано", "Списано"], rows: balanceRows),
        ])] + sections
    }

    // MARK: notifications

    static func notifications(req: Request) async throws -> View {
        let p = try req.requirePrincipal()
        let list = try await req.application.notifications.list(p.userID, on: req.db)
        let zone = TimeZone(identifier: ReferenceData.region(code: p.regionCode)?.timeZone ?? "Asia/Novokuznetsk")!
        let rows = list.map { n -> [Cell] in
            [Cell(LocalDate(n.createdAt, in: zone).russian), Cell(n.readAt == nil ? "новое" : "прочитано"), Cell(n.text, href: n.link)]
        }
        try await req.application.notifications.markAllRead(p.userID, on: req.db)
        return try await CabinetController.render(req, title: "Уведомления", heading: "Уведомления", lead: "",
                                                  sections: [Section(heading: "Все уведомления", tables: [
                                                      Table(caption: "Уведомления", headers: ["Дата", "Статус", "Текст"], rows: rows,
                                                            empty: "Уведомлений пока нет."),
                                                  ])])
    }
}
