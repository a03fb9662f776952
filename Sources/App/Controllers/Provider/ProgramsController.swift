import Domain
import Fluent
import Vapor

/// Provider staff keep their programs, modules and groups and send programs to certification. Each handler parses the
/// one mapping of its input, calls one query or service, and renders the page built by its pure builder (`Views/Provider`)
/// or redirects; a refusal shows the form again with the values typed.
enum ProgramsController {
    static func program(_ req: Request, for action: AccessAction) async throws -> ProgramModel {
        try await req.find(ProgramModel.self, req.parameters.get("id", as: UUID.self), for: action)
    }

    static func backToProgram(_ req: Request, _ id: UUID) -> Response {
        req.redirect(to: SiteRoute.providerProgram(id).url, redirectType: .normal)
    }

    // MARK: the list and a new program

    static func list(req: Request) async throws -> View {
        try await renderList(req, form: ProgramInput(), errors: [])
    }

    static func renderList(_ req: Request, form: ProgramInput, errors: [FieldError]) async throws -> View {
        let model = try await ProgramsPage.query(principal: try req.requirePrincipal(), on: req.db)
        return try await req.view.render("cabinet/page", ProgramsPage.context(model, form: form, errors: errors, layout: req.layout("Программы")))
    }

    static func create(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let provider = try await ProviderModel.scopedQuery(on: req.db, for: p)?.first() else { throw Abort(.notFound) }
        let input = try ProgramInput(InputBody.body(req))
        do {
            let program = try await req.navigator.catalog.createProgram(provider: provider, input: input)
            return backToProgram(req, try program.requireID())
        } catch let e as ValidationFailure {
            return try await renderList(req, form: input, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    // MARK: one program

    static func show(req: Request) async throws -> View {
        try await renderProgram(req, errors: [])
    }

    static func renderProgram(_ req: Request, card: ProgramInput? = nil, module: ModuleInput = ModuleInput(), group: GroupInput = GroupInput(),
                              errors: [FieldError], failed: ProgramPage.Form? = nil) async throws -> View {
        let model = try await ProgramPage.query(id: req.parameters.get("id", as: UUID.self), principal: try req.requirePrincipal(),
                                                catalog: req.navigator.catalog, on: req.db)
        let page = ProgramPage.context(model, card: card, module: module, group: group, errors: errors, failed: failed,
                                       layout: req.layout(model.program.name))
        return try await req.view.render("cabinet/page", page)
    }

    static func update(req: Request) async throws -> Response {
        let program = try await program(req, for: .write)
        let input = try ProgramInput(InputBody.body(req))
        do {
            try await req.navigator.catalog.updateProgram(program, input: input)
        } catch let e as ValidationFailure {
            return try await renderProgram(req, card: input, errors: e.errors, failed: .card).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return backToProgram(req, try program.requireID())
    }

    static func addModule(req: Request) async throws -> Response {
        let program = try await program(req, for: .write)
        let input = try ModuleInput(InputBody.body(req))
        do {
            _ = try await req.navigator.catalog.saveModule(nil, program: program, input: input)
        } catch let e as ValidationFailure {
            return try await renderProgram(req, module: input, errors: e.errors, failed: .module).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return backToProgram(req, try program.requireID())
    }

    static func addGroup(req: Request) async throws -> Response {
        let program = try await program(req, for: .write)
        let input = try GroupInput(InputBody.body(req))
        do {
            _ = try await req.navigator.catalog.saveGroup(nil, program: program, input: input)
        } catch let e as ValidationFailure {
            return try await renderProgram(req, group: input, errors: e.errors, failed: .group).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return backToProgram(req, try program.requireID())
    }

    static func submit(req: Request) async throws -> Response {
        let program = try await program(req, for: .write)
        try await req.navigator.catalog.submit(program)
        return backToProgram(req, try program.requireID())
    }

    static func archive(req: Request) async throws -> Response {
        let program = try await program(req, for: .write)
        try await req.navigator.catalog.archive(program, by: req.requirePrincipal())
        return backToProgram(req, try program.requireID())
    }

    // MARK: a module's and a group's own page

    static func modulePage(req: Request) async throws -> View {
        try await renderModule(req, form: nil, errors: [])
    }

    static func renderModule(_ req: Request, form: ModuleInput?, errors: [FieldError]) async throws -> View {
        let model = try await ModulePage.query(id: req.parameters.get("id", as: UUID.self), principal: try req.requirePrincipal(), on: req.db)
        return try await req.view.render("cabinet/page", ModulePage.context(model, form: form, errors: errors, layout: req.layout(model.module.name)))
    }

    static func updateModule(req: Request) async throws -> Response {
        let m = try await req.find(ModuleModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard let program = try await ProgramModel.find(m.programID, on: req.db) else { throw Abort(.notFound) }
        let input = try ModuleInput(InputBody.body(req))
        do {
            _ = try await req.navigator.catalog.saveModule(m, program: program, input: input)
        } catch let e as ValidationFailure {
            return try await renderModule(req, form: input, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return backToProgram(req, m.programID)
    }

    static func groupPage(req: Request) async throws -> View {
        try await renderGroup(req, form: nil, errors: [])
    }

    static func renderGroup(_ req: Request, form: GroupInput?, errors: [FieldError]) async throws -> View {
        let model = try await GroupPage.query(id: req.parameters.get("id", as: UUID.self), principal: try req.requirePrincipal(),
                                              catalog: req.navigator.catalog, on: req.db)
        return try await req.view.render("cabinet/page", GroupPage.context(model, form: form, errors: errors, layout: req.layout(model.group.name)))
    }

    static func updateGroup(req: Request) async throws -> Response {
        let g = try await req.find(GroupModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        guard let program = try await ProgramModel.find(g.programID, on: req.db) else { throw Abort(.notFound) }
        let input = try GroupInput(InputBody.body(req))
        do {
            _ = try await req.navigator.catalog.saveGroup(g, program: program, input: input)
        } catch let e as ValidationFailure {
            return try await renderGroup(req, form: input, errors: e.errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return backToProgram(req, g.programID)
    }
}
