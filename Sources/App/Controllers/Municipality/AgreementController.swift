import Domain
import Fluent
import Vapor

/// Agreements of a municipality with providers: the page in the municipality's cabinet and the API.
enum AgreementController {
    static func statusText(_ a: AgreementModel?) -> String {
        guard let a else { return "нет соглашения" }
        if a.status == .active { return "действует с \(LocalDate(iso: a.concludedOn)?.russian ?? a.concludedOn)" }
        return "расторгнуто \(a.terminatedOn.flatMap(LocalDate.init(iso:))?.russian ?? "")"
    }

    static func page(req: Request) async throws -> View {
        try await render(req, errors: [], notice: req.query[String.self, at: "done"].map { $0 == "terminated" ? "Соглашение расторгнуто." : "Соглашение заключено." })
    }

    static func render(_ req: Request, errors: [FieldError], notice: String? = nil) async throws -> View {
        let m = try ProgramController.municipalityID(req)
        let rows = try await req.application.navigator.agreements.list(municipalityID: m, on: req.db)
        let table = Table(caption: "Поставщики региона и соглашения", headers: ["Поставщик", "ИНН", "Соглашение", "Номер"],
                          rows: rows.map { r in
                              [Cell(r.provider.shortName, href: SiteRoute.catalogProvider(r.provider.id!).url), Cell(r.provider.inn),
                               Cell(statusText(r.agreement)), Cell(r.agreement?.number ?? "—")]
                          }, empty: "В регионе нет действующих поставщиков.")
        let without = rows.filter { $0.agreement?.status != .active }
        let with = rows.filter { $0.agreement?.status == .active }
        var forms: [FormBlock] = []
        if !without.isEmpty {
            forms.append(FormBlock(id: "conclude", action: SiteRoute.agreements.url, heading: "Заключить соглашение",
                                   fields: [.init("provider", "Поставщик", type: "select", required: true,
                                                  options: [.init(value: "", label: "— выберите —", selected: true)]
                                                      + without.map { .init(value: $0.provider.id!.lowercasedString, label: $0.provider.shortName, selected: false) },
                                                  errors: errors, formID: "conclude")],
                                   submit: "Заключить соглашение"))
        }
        if !with.isEmpty {
            forms.append(FormBlock(id: "terminate", action: SiteRoute.agreementTerminate.url, heading: "Расторгнуть соглашение",
                                   fields: [.init("agreement", "Соглашение", type: "select",
                                                  hint: "Заключённые договоры действуют до окончания; новые заявки по сертификатам детей муниципалитета этот поставщик принимать не сможет.",
                                                  required: true, options: [.init(value: "", label: "— выберите —", selected: true)]
                                                      + with.map { .init(value: $0.agreement!.id!.lowercasedString, label: "\($0.agreement!.number) — \($0.provider.shortName)", selected: false) },
                                                  errors: errors, formID: "terminate")],
                                   submit: "Расторгнуть соглашение", danger: true))
        }
        var page = CabinetPage(layout: req.layout("Соглашения с поставщиками"), heading: "Соглашения с поставщиками",
                               lead: "Записаться по сертификату муниципалитета можно только к поставщику, с которым у муниципалитета действует соглашение.",
                               sections: [Section(heading: "Соглашения", tables: [table], forms: forms)], errors: errors)
        page.notice = notice
        return try await req.view.render("cabinet/page", page)
    }

    struct ConcludeForm: Content { var provider: String? }
    struct TerminateForm: Content { var agreement: String? }

    static func failPage(_ req: Request, _ error: any Error) async throws -> Response {
        let errors: [FieldError]
        switch error {
        case let e as FieldError: errors = [e]
        case let e as AppError where !e.fields.isEmpty: errors = e.fields
        case let e as AppError: errors = [FieldError(field: "agreement", message: e.reason)]
        default: throw error
        }
        return try await render(req, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
    }

    static func conclude(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        let f = try req.content.decode(ConcludeForm.self)
        do {
            guard let id = f.provider.flatMap(UUID.init(uuidString:)) else { throw FieldError(field: "provider", message: "Выберите поставщика.") }
            try await req.application.navigator.agreements.conclude(providerID: id, municipalityID: m)
        } catch { return try await failPage(req, error) }
        return req.redirect(to: SiteRoute.agreements.url + "?done=concluded", redirectType: .normal)
    }

    static func terminate(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        let f = try req.content.decode(TerminateForm.self)
        do {
            guard let id = f.agreement.flatMap(UUID.init(uuidString:)) else { throw FieldError(field: "agreement", message: "Выберите соглашение.") }
            try await req.application.navigator.agreements.terminate(agreementID: id, municipalityID: m)
        } catch let e as any AbortError where e.status == .notFound {
            return try await failPage(req, FieldError(field: "agreement", message: "Соглашение не найдено."))
        } catch { return try await failPage(req, error) }
        return req.redirect(to: SiteRoute.agreements.url + "?done=terminated", redirectType: .normal)
    }

    // MARK: API

    struct AgreementDTO: Content {
        let id: UUID
        let number: String
        let municipalityId: UUID
        let providerId: UUID
        let status: AgreementStatus
        let concludedOn: String
        let terminatedOn: String?

        init(_ a: AgreementModel) {
            id = a.id!
            number = a.number
            municipalityId = a.municipalityID
            providerId = a.providerID
            status = a.status
            concludedOn = a.concludedOn
            terminatedOn = a.terminatedOn
        }
    }

    /// The agreements the principal may read: a municipality's own, a provider's own, the region's for the operator.
    static func list(req: Request) async throws -> [AgreementDTO] {
        let p = try req.requirePrincipal()
        guard p.role != .parent, let q = AgreementModel.scopedQuery(on: req.db, for: p) else { throw Abort(.forbidden) }
        if let provider = req.query[String.self, at: "provider"] {
            guard let id = UUID(uuidString: provider) else { throw FieldError(field: "provider", message: "Укажите идентификатор поставщика.") }
            q.filter(\.$providerID == id)
        }
        return try await q.sort(\.$concludedOn).all().map(AgreementDTO.init)
    }

    struct ConcludeBody: Content { var provider: UUID? }

    static func apiConclude(req: Request) async throws -> Response {
        let m = try ProgramController.municipalityID(req)
        let b = try CertificateAPIController.body(req, ConcludeBody.self)
        guard let provider = b.provider else { throw FieldError(field: "provider", message: "Укажите поставщика (provider).") }
        let a = try await req.application.navigator.agreements.conclude(providerID: provider, municipalityID: m)
        return try await AgreementDTO(a).encodeResponse(status: .created, for: req)
    }

    static func apiTerminate(req: Request) async throws -> AgreementDTO {
        let m = try ProgramController.municipalityID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        return AgreementDTO(try await req.application.navigator.agreements.terminate(agreementID: id, municipalityID: m))
    }
}
