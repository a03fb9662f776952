import Domain
import Fluent
import Vapor

/// The program registry as the operator keeps it (certification, the price cap) and as the municipality and monitors read
/// it. Each handler parses the one mapping of its input (`Inputs/OperatorInputs.swift`), calls one query or service, and
/// renders the page built by its pure builder (`Views/Operator`) or redirects.
enum CertificationController {
    static func list(req: Request) async throws -> View {
        let model = try await RegistryProgramsPage.query(principal: try req.requirePrincipal(),
                                                         status: req.query[String.self, at: "status"].flatMap(ProgramStatus.init(rawValue:)),
                                                         catalog: req.navigator.catalog, on: req.db)
        return try await req.view.render("cabinet/page", RegistryProgramsPage.context(model, layout: req.layout("Реестр программ")))
    }

    static func setPriceCap(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard p.role == .operator_ else { throw Abort(.forbidden) }
        let input = try PriceCapInput(InputBody.body(req))
        do {
            try await req.navigator.catalog.setPriceCap(region: p.regionCode, raw: input.percent)
        } catch let e as ValidationFailure {
            return try await req.view.render("cabinet/page", PriceCapPage.context(input, errors: e.errors, layout: req.layout("Предельная цена")))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.registryPrograms.url, redirectType: .normal)
    }

    static func show(req: Request) async throws -> View {
        try await render(req, normatives: nil, errors: [])
    }

    static func render(_ req: Request, normatives: [String]?, errors: [FieldError]) async throws -> View {
        let model = try await RegistryProgramPage.query(id: req.parameters.get("id", as: UUID.self), principal: try req.requirePrincipal(),
                                                        catalog: req.navigator.catalog, on: req.db)
        let page = RegistryProgramPage.context(model, normatives: normatives, errors: errors, layout: req.layout(model.program.name))
        return try await req.view.render("cabinet/page", page)
    }

    /// The program to decide on: in the operator's scope, and only the operator's.
    static func program(_ req: Request) async throws -> ProgramModel {
        let program = try await req.find(ProgramModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard try req.requirePrincipal().role == .operator_ else { throw Abort(.forbidden) }
        return program
    }

    static func certify(req: Request) async throws -> Response {
        let program = try await program(req)
        let input = try CertificationInput(InputBody.body(req))
        do {
            try await req.navigator.catalog.certify(program, normatives: input.normatives)
        } catch let e as ValidationFailure {
            return try await render(req, normatives: input.normatives, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.registryProgram(try program.requireID()).url, redirectType: .normal)
    }

    static func refuse(req: Request) async throws -> Response {
        let program = try await program(req)
        let input = try CertificationRefusalInput(InputBody.body(req))
        do {
            try await req.navigator.catalog.refuse(program, reason: input.reason)
        } catch let e as ValidationFailure {
            return try await render(req, normatives: nil, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.registryProgram(try program.requireID()).url, redirectType: .normal)
    }

    static func archive(req: Request) async throws -> Response {
        let program = try await program(req)
        try await req.navigator.catalog.archive(program, by: req.requirePrincipal())
        return req.redirect(to: SiteRoute.registryProgram(try program.requireID()).url, redirectType: .normal)
    }
}
