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

    app.get(path(.register), use: FamilyController.registerPage)
    app.post(path(.register), use: FamilyController.register)
    let family = app.grouped(RoleGuard(roles: [.parent]))
    family.get(path(.cabinet(.parent)), use: FamilyController.family)
    family.get(path(.familyChildNew), use: FamilyController.newChildPage)
    family.post(path(.familyChildNew), use: FamilyController.createChild)
    family.get(path(.familyChildEdit(id)), use: FamilyController.editChildPage)
    family.post(path(.familyChildEdit(id)), use: FamilyController.updateChild)
    family.post(path(.familyChildDelete(id)), use: FamilyController.deleteChild)
    family.post(path(.familyChildApply(id)), use: FamilyController.apply)
    family.post(path(.familyChildFinancing(id)), use: FamilyController.financing)
    family.get(path(.familyNotifications), use: FamilyController.notifications)
    app.grouped(RoleGuard(roles: [.parent, .operator_, .municipality, .monitor]))
        .get(path(.familyChild(id)), use: FamilyController.child)

    let staff = app.grouped(RoleGuard(roles: [.municipality, .provider]))
    staff.get(path(.certificates(query: nil)), use: CertificatesController.list)
    staff.get(path(.certificateAssisted), use: AssistedController.page)
    staff.post(path(.certificateAssisted), use: AssistedController.submit)
    staff.get(path(.certificate(id)), use: CertificatesController.show)
    staff.post(path(.certificateConfirm(id)), use: CertificatesController.confirm)
    staff.post(path(.certificateReject(id)), use: CertificatesController.reject)
    staff.post(path(.certificateFreeze(id)), use: CertificatesController.freeze)

    let municipal = app.grouped(RoleGuard(roles: [.municipality]))
    municipal.get(path(.program), use: ProgramController.page)
    municipal.post(path(.programPeriods), use: ProgramController.createPeriod)
    municipal.post(path(.programPeriodContracting(id)), use: ProgramController.contracting)
    municipal.post(path(.programPeriodClose), use: ProgramController.closePeriod)
    municipal.post(path(.programPeriodOpen), use: ProgramController.openPeriod)
    municipal.post(path(.programGroups), use: ProgramController.createGroup)
    municipal.post(path(.programGroup(id)), use: ProgramController.updateGroup)
    municipal.post(path(.programGroupNominal(id)), use: ProgramController.nominal)
    municipal.post(path(.programSweep), use: ProgramController.sweep)
    municipal.get(path(.programImport), use: ImportController.page)
    municipal.on(.POST, path(.programImport), body: .collect(maxSize: ByteCount(value: ImportController.maxUpload)), use: ImportController.upload)
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
    api.post(path(.apiChildren), use: CertificateAPIController.createChild)
    api.post(path(.apiChildCertificate(id)), use: CertificateAPIController.apply)
    api.get(path(.apiCertificates), use: CertificateAPIController.list)
    api.get(path(.apiCertificate(id)), use: CertificateAPIController.show)
    api.post(path(.apiCertificateConfirm(id)), use: CertificateAPIController.confirm)
    api.post(path(.apiCertificateReject(id)), use: CertificateAPIController.reject)
    api.post(path(.apiCertificateFinancing(id)), use: CertificateAPIController.financing)
}
