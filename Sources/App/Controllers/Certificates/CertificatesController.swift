import Domain
import Fluent
import SQLKit
import Vapor

/// Identity confirmation of certificates by issuing points and municipalities, freezing, assisted issuance.
enum CertificatesController {
    /// The municipality whose certificates the principal handles, or 403.
    static func confirmingMunicipality(_ req: Request) async throws -> UUID {
        let p = try req.requirePrincipal()
        switch p.role {
        case .municipality:
            if let m = p.municipalityID { return m }
        case .provider:
            if p.mayConfirmCertificates, let pid = p.providerID, let provider = try await ProviderModel.find(pid, on: req.db),
               provider.isIssuingPoint, provider.status == .active {
                return provider.municipalityID
            }
        default: break
        }
        throw AppError(status: .forbidden, code: "not_issuing_point",
                       reason: "Подтверждать сертификаты могут только пункты выдачи сертификатов и муниципалитет.")
    }

    static func list(req: Request) async throws -> View {
        let municipality = try await confirmingMunicipality(req)
        let q = String((req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        var rows: [(CertificateModel, ChildModel)] = []
        let sql = req.db.sql
        var select = sql.select().column(SQLColumn("id", table: "certificates")).from("certificates")
            .join("children", on: SQLColumn("child_id", table: "certificates"), .equal, SQLColumn("id", table: "children"))
            .where(SQLColumn("municipality_id", table: "certificates"), .equal, SQLBind(municipality))
        if q.isEmpty {
            select = select.where(SQLColumn("status", table: "certificates"), .equal, SQLBind(CertificateStatus.pending.rawValue))
        } else if let digits = Identifiers.normalized(q), digits.count == 10 || digits.count == 11 {
            select = select.where { w in
                w.where(SQLColumn("number", table: "certificates"), .equal, SQLBind(digits)).orWhere(SQLColumn("snils", table: "children"), .equal, SQLBind(digits))
            }
        } else {
            let words = q.split(separator: " ").prefix(3).map { String($0.filter { $0 != "%" && $0 != "_" && $0 != "\\" }) }.filter { !$0.isEmpty }
            for w in words {
                let pattern = w.prefix(1).uppercased() + w.dropFirst().lowercased() + "%"
                select = select.where { g in
                    g.where(SQLColumn("surname", table: "children"), .like, SQLBind(pattern)).orWhere(SQLColumn("name", table: "children"), .like, SQLBind(pattern))
                }
            }
        }
        let ids = try await select.orderBy(SQLColumn("created_at", table: "certificates")).limit(100).all()
            .map { try $0.decode(column: "id", as: UUID.self) }
        if !ids.isEmpty {
            let certs = try await CertificateModel.query(on: req.db).filter(\.$id ~~ ids).all()
            let children = Dictionary(uniqueKeysWithValues: try await ChildModel.query(on: req.db).filter(\.$id ~~ certs.map(\.childID)).all().map { ($0.id!, $0) })
            rows = certs.compactMap { c in children[c.childID].map { (c, $0) } }.sorted { $0.1.surname < $1.1.surname }
        }
        let table = Table(caption: q.isEmpty ? "Заявления, ждущие подтверждения" : "Найдено",
                          headers: ["Ребёнок", "Дата рождения", "СНИЛС", "Сертификат", "Статус"],
                          rows: rows.map { c, ch in
                              [Cell(ch.fullName, href: SiteRoute.certificate(c.id!).url),
                               Cell(LocalDate(iso: ch.birthDate)?.russian ?? ch.birthDate), Cell(Identifiers.formatSNILS(ch.snils)),
                               Cell(c.number ?? "—"), Cell(c.status.title)]
                          },
                          empty: q.isEmpty ? "Новых заявлений нет." : "Ничего не найдено.")
        let search = FormBlock(id: "search", action: SiteRoute.certificates(query: nil).url,
                               fields: [.init("q", "Поиск по фамилии и имени, СНИЛС или номеру сертификата", type: "search", value: q, formID: "search")],
                               submit: "Найти", method: "get")
        let muni = try await req.directory.municipality(municipality)?.name ?? ""
        return try await CabinetController.render(req, title: "Подтверждение сертификатов", heading: "Подтверждение сертификатов",
                                                  lead: "Муниципалитет: \(muni). Найдите заявление, проверьте документы ребёнка и подтвердите или отклоните его.",
                                                  sections: [Section(heading: "Поиск", tables: [table], forms: [search],
                                                                     links: [Cell("Оформить сертификат при личном обращении", href: SiteRoute.certificateAssisted.url)])])
    }

    static func loadForStaff(_ req: Request) async throws -> (CertificateModel, ChildModel) {
        let municipality = try await confirmingMunicipality(req)
        guard let id = req.parameters.get("id", as: UUID.self), let cert = try await CertificateModel.find(id, on: req.db),
              cert.municipalityID == municipality, let child = try await ChildModel.find(cert.childID, on: req.db) else {
            throw Abort(.notFound)
        }
        return (cert, child)
    }

    static func show(req: Request) async throws -> View {
        let (cert, child) = try await loadForStaff(req)
        return try await renderCard(req, cert: cert, child: child, errors: [])
    }

    static func renderCard(_ req: Request, cert: CertificateModel, child: ChildModel, errors: [FieldError], notice: String? = nil) async throws -> View {
        let p = try req.requirePrincipal()
        let muni = try await req.directory.municipality(child.municipalityID)?.name ?? "—"
        let today = CertificateService.today(region: child.regionCode, at: req.now)
        var forms: [FormBlock] = []
        if cert.status == .pending {
            forms.append(FormBlock(id: "confirm", action: SiteRoute.certificateConfirm(cert.id!).url,
                                   heading: "Документы проверены", submit: "Подтвердить личность и выдать сертификат"))
            forms.append(FormBlock(id: "reject", action: SiteRoute.certificateReject(cert.id!).url, heading: "Отказ",
                                   fields: [.init("reason", "Причина отказа", type: "textarea", required: true, errors: errors, formID: "reject")],
                                   submit: "Отклонить заявление", danger: true))
        }
        if p.role == .municipality && cert.status == .active {
            forms.append(FormBlock(id: "freeze", action: SiteRoute.certificateFreeze(cert.id!).url,
                                   hidden: [.init(name: "frozen", value: cert.frozen ? "0" : "1")],
                                   submit: cert.frozen ? "Разморозить сертификат" : "Заморозить сертификат", danger: !cert.frozen))
        }
        var sections = [Section(heading: "Ребёнок", facts: CabinetViews.childFacts(child, municipality: muni, today: today))]
        var certSections = try await FamilyController.certificateSections(req, child: child, cert: cert, forFamily: false)
        if !certSections.isEmpty {
            let first = certSections[0]
            certSections[0] = Section(heading: first.heading, text: first.text, facts: first.facts, tables: first.tables, forms: forms)
        }
        sections += certSections
        var page = CabinetPage(layout: req.layout("Сертификат"), heading: "Сертификат: \(child.fullName)",
                               lead: "Сверьте свидетельство о рождении и СНИЛС с данными ниже.", sections: sections, errors: errors)
        page.notice = notice
        return try await req.view.render("cabinet/page", page)
    }

    static func confirm(req: Request) async throws -> Response {
        let (cert, _) = try await loadForStaff(req)
        let p = try req.requirePrincipal()
        _ = try await req.application.navigator.certificates.confirm(cert.requireID(), by: p, on: req.db)
        return req.redirect(to: SiteRoute.certificate(cert.id!).url, redirectType: .normal)
    }

    struct RejectForm: Content { var reason: String? }

    static func reject(req: Request) async throws -> Response {
        let (cert, child) = try await loadForStaff(req)
        let p = try req.requirePrincipal()
        let form = try req.content.decode(RejectForm.self)
        do {
            _ = try await req.application.navigator.certificates.reject(cert.requireID(), reason: form.reason ?? "", by: p, on: req.db)
        } catch let e as FieldError {
            return try await renderCard(req, cert: cert, child: child, errors: [e]).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.certificate(cert.id!).url, redirectType: .normal)
    }

    struct FreezeForm: Content { var frozen: String? }

    static func freeze(req: Request) async throws -> Response {
        let (cert, _) = try await loadForStaff(req)
        let form = try req.content.decode(FreezeForm.self)
        try await req.application.navigator.certificates.setFrozen(cert.requireID(), form.frozen == "1", by: try req.requirePrincipal(), on: req.db)
        return req.redirect(to: SiteRoute.certificate(cert.id!).url, redirectType: .normal)
    }
}
