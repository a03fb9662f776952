import Domain
import Fluent
import Vapor

/// The municipality's certificate programme: periods, certificate groups, nominals, caps, contracting, rollover, and the
/// use-it-or-lose-it sweep. Each handler parses the one mapping of its input (`Inputs/MunicipalityInputs.swift`), calls one
/// service, and redirects with a notice or shows the page (`Views/Municipality`) again with the refusals.
enum ProgramController {
    static func municipalityID(_ req: Request) throws -> UUID {
        let p = try req.requirePrincipal()
        guard p.role == .municipality, let m = p.municipalityID else { throw Abort(.forbidden) }
        return m
    }

    static func page(req: Request) async throws -> View {
        try await render(req, errors: [], notice: req.query[String.self, at: "done"].map(MunicipalProgramPage.notice))
    }

    static func render(_ req: Request, errors: [FieldError], notice: String? = nil) async throws -> View {
        let model = try await MunicipalProgramPage.query(municipalityID: try municipalityID(req), prolongations: req.navigator.enrollment.prolongations,
                                                         on: req.db)
        return try await req.view.render("cabinet/page", MunicipalProgramPage.context(model, errors: errors, notice: notice, layout: req.layout("Программа ПФДО")))
    }

    /// The page again with the refusals of a form (422); any other error goes on.
    static func fail(_ req: Request, _ error: any Error) async throws -> Response {
        let errors: [FieldError]
        switch error {
        case let e as ValidationFailure: errors = e.errors
        case let e as FieldError: errors = [e]
        default: throw error
        }
        return try await render(req, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
    }

    static func done(_ req: Request, _ key: String) -> Response {
        req.redirect(to: SiteRoute.program.url + "?done=" + key, redirectType: .normal)
    }

    static func createPeriod(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        let input = try PeriodInput(InputBody.body(req))
        do {
            _ = try await req.navigator.programme.createPeriod(municipalityID: m, startsOn: input.startsOn, endsOn: input.endsOn, on: req.db)
        } catch { return try await fail(req, error) }
        return done(req, "period")
    }

    static func contracting(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let input = try ContractingInput(InputBody.body(req))
        try await req.navigator.programme.setContracting(id, open: input.open, municipalityID: m, on: req.db)
        return done(req, "contracting")
    }

    static func createGroup(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        let input = try CertificateGroupInput(InputBody.body(req))
        do {
            _ = try await req.navigator.programme.saveGroup(nil, municipalityID: m, input: input, on: req.db)
        } catch { return try await fail(req, error) }
        return done(req, "group")
    }

    static func updateGroup(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        guard let id = req.parameters.get("id", as: UUID.self), let group = try await CertificateGroupModel.find(id, on: req.db),
              group.municipalityID == m else { throw Abort(.notFound) }
        let input = try CertificateGroupInput(InputBody.body(req))
        do {
            _ = try await req.navigator.programme.saveGroup(group, municipalityID: m, input: input, on: req.db)
        } catch { return try await fail(req, error) }
        return done(req, "group")
    }

    static func nominal(req: Request) async throws -> Response {
        let m = try municipalityID(req)
        guard let group = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let input = try NominalInput(InputBody.body(req))
        do {
            try await req.navigator.programme.setNominal(groupID: group, periodID: try input.validate(), nominalText: input.nominal,
                                                         municipalityID: m, on: req.db)
        } catch { return try await fail(req, error) }
        return done(req, "nominal")
    }

    /// Closes the current period; before its end (or its last month's close) the page asks again, stating what will
    /// expire, and closes only with the override ticked.
    static func closePeriod(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let override = try InputBody.body(req).flag("beforeEnd") ?? false
        do {
            _ = try await req.navigator.programme.closePeriod(municipalityID: try municipalityID(req), override: override,
                                                              by: .person(p), on: req.db)
        } catch let e as AppError where e.status == .conflict && !e.fields.isEmpty {
            return try await fail(req, FieldError(field: "beforeEnd", message: e.reason))
        }
        return done(req, "closed")
    }

    static func openPeriod(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        let override = try InputBody.body(req).flag("beforeEnd") ?? false
        do {
            _ = try await req.navigator.programme.openPeriod(municipalityID: try municipalityID(req), override: override, by: .person(p), on: req.db)
        } catch let e as AppError where e.status == .conflict && e.code == "period_not_started" {
            return try await fail(req, FieldError(field: "beforeEnd", message: e.reason))
        }
        return done(req, "opened")
    }

    static func sweep(req: Request) async throws -> Response {
        _ = try municipalityID(req)
        _ = try await req.navigator.certificates.sweep(on: req.db)
        return done(req, "sweep")
    }
}
