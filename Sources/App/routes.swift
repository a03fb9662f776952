import Domain
import Vapor

func routes(_ app: Application) throws {
    func path(_ r: SiteRoute) -> [PathComponent] { r.pathComponents.map { $0.hasPrefix(":") ? .parameter(String($0.dropFirst())) : .constant($0) } }
    let id = UUID()

    // Operations
    app.get(path(.healthz), use: OpsController.healthz)
    app.get(path(.readyz), use: OpsController.readyz)
    app.get(path(.metrics), use: OpsController.metrics)

    // Public pages
    app.get(path(.home), use: PublicController.home)
    app.get(path(.catalog(query: nil)), use: PublicController.catalog)
    app.get(path(.login(next: nil)), use: PublicController.loginPage)
    app.post(path(.login(next: nil)), use: PublicController.login)
    app.post(path(.logout), use: PublicController.logout)
    app.post(path(.accessibility), use: PublicController.accessibility)

    // Signed-in pages
    let anyone = app.grouped(RoleGuard(roles: Set(Role.allCases)))
    anyone.get(path(.password), use: AccountController.passwordPage)
    anyone.post(path(.password), use: AccountController.changePassword)

    app.grouped(RoleGuard(roles: [.parent])).get(path(.cabinet(.parent)), use: CabinetController.family)
    app.grouped(RoleGuard(roles: [.parent, .operator_, .municipality, .monitor]))
        .get(path(.familyChild(id)), use: CabinetController.child)
    app.grouped(RoleGuard(roles: [.provider])).get(path(.cabinet(.provider)), use: CabinetController.provider)
    app.grouped(RoleGuard(roles: [.municipality])).get(path(.cabinet(.municipality)), use: CabinetController.municipality)
    app.grouped(RoleGuard(roles: [.operator_])).get(path(.cabinet(.operator_)), use: CabinetController.operatorHome)
    app.grouped(RoleGuard(roles: [.monitor])).get(path(.cabinet(.monitor)), use: CabinetController.monitor)
    app.grouped(RoleGuard(roles: [.operator_, .municipality, .monitor, .provider]))
        .get(path(.registryProvider(id)), use: CabinetController.registryProvider)

    // API
    app.post(path(.apiToken), use: APIController.token)
    app.post(path(.apiQuote), use: QuoteController.quote)
    app.get(path(.apiRegions), use: APIController.regions)
    app.get(path(.apiMunicipalities), use: APIController.municipalities)
    app.get(path(.apiDirections), use: APIController.directions)
    app.get(path(.apiClassifiers), use: APIController.classifiers)
    let api = app.grouped(RoleGuard(roles: Set(Role.allCases)))
    api.delete(path(.apiToken), use: APIController.revokeToken)
    api.get(path(.apiMe), use: APIController.me)
    api.get(path(.apiChildren), use: APIController.children)
    api.get(path(.apiChild(id)), use: APIController.child)
    api.get(path(.apiProvider(id)), use: APIController.provider)
}
