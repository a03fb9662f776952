import Domain
import Foundation
import Vapor

/// The enrollment's services, each with one job, built once at start-up: the reading, this database's writer, the
/// applications (with the group commit), the steps after, the waiting lists, the prolongations, the sweep and the
/// verification.
struct EnrollmentServices: Sendable {
    let reader: EnrollmentReader
    let writer: any EnrollmentWriter
    let applications: ApplicationService
    let steps: ContractSteps
    let waitingLists: WaitingLists
    let prolongations: Prolongations
    let sweep: EnrollmentSweep
    let verifier: EnrollmentVerifier
    let transfers: Transfers

    init(store: Store, config: AppConfig, clock: AppClock, ids: IDGenerator, ledger: LedgerService, notifications: NotificationService,
         certificates: CertificateService) throws {
        reader = EnrollmentReader(store: store)
        writer = try Self.writer(store: store, config: config)
        applications = ApplicationService(store: store, reader: reader, writer: writer, certificates: certificates, clock: clock, ids: ids,
                                          batchSize: config.applyBatchSize, batchRunners: config.applyBatchRunners)
        waitingLists = WaitingLists(store: store, reader: reader, clock: clock, ids: ids)
        steps = ContractSteps(store: store, ledger: ledger, waitingLists: waitingLists, clock: clock, ids: ids)
        prolongations = Prolongations(store: store, reader: reader, notifications: notifications, clock: clock, ids: ids)
        sweep = EnrollmentSweep(store: store, steps: steps, prolongations: prolongations, clock: clock)
        verifier = EnrollmentVerifier()
        transfers = Transfers(store: store, reader: reader, steps: steps, applications: applications, clock: clock)
    }

    /// The writer of the configured path, or this database's fastest.
    static func writer(store: Store, config: AppConfig) throws -> any EnrollmentWriter {
        let named = config.enrollmentWritePath.flatMap(EnrollmentWritePath.init(rawValue:))
        switch (named, store.kind) {
        case (.statements, _): return StatementWriter(store: store)
        case (.direct, .sqlite), (nil, .sqlite):
            if let direct = store.direct { return SQLiteDirectWriter(direct: direct) }
            if named == .direct { throw AppConfig.Invalid(problems: ["ENROLLMENT_WRITE_PATH=direct: нужен файл SQLite"]) }
            return StatementWriter(store: store)
        case (.function, .postgres): return PostgresFunctionWriter(store: store, batched: false)
        case (.batch, .postgres), (nil, .postgres): return PostgresFunctionWriter(store: store, batched: named == .batch || config.applyBatchSize > 0)
        case (.some(let path), let kind):
            throw AppConfig.Invalid(problems: ["ENROLLMENT_WRITE_PATH=\(path.rawValue): недоступен для базы \(kind.rawValue)"])
        }
    }
}

/// Paying providers (domain §8): completeness, the monthly close, invoices, and the audit log of money operations.
struct PaymentServices: Sendable {
    let audit: AuditLog
    let invoices: InvoiceService
    let closer: MonthCloser
    let completeness: CompletenessService
    let disputes: DisputeService

    init(store: Store, clock: AppClock, ledger: LedgerService, notifications: NotificationService) {
        audit = AuditLog(clock: clock)
        invoices = InvoiceService(store: store, audit: audit, notifications: notifications, clock: clock)
        closer = MonthCloser(store: store, ledger: ledger, invoices: invoices, audit: audit, clock: clock)
        completeness = CompletenessService(store: store, clock: clock, closer: closer)
        disputes = DisputeService(store: store, ledger: ledger, notifications: notifications, audit: audit, clock: clock)
    }
}

/// Every service of the application, built once in `configure` and handed to requests and commands.
struct NavigatorServices: Sendable {
    let store: Store
    let clock: AppClock
    let ids: IDGenerator
    let ledger: LedgerService
    let notifications: NotificationService
    let certificates: CertificateService
    let enrollment: EnrollmentServices
    /// The municipal programme: periods, certificate groups, nominals, the rollover.
    let programme: ProgramService
    /// The program registry and certification.
    let catalog: CatalogService
    /// Providers: registration, cards, moderation, issuing points.
    let registry: RegistryService
    let agreements: AgreementService
    let imports: ImportService
    /// Family accounts: registration and assisted issuance.
    let families: FamilyService
    /// Paying providers: completeness, the monthly close, invoices, the audit log.
    let payments: PaymentServices

    init(store: Store, config: AppConfig, clock: AppClock, ids: IDGenerator, auth: AuthService, catalogStore: CatalogStore) throws {
        self.store = store
        self.clock = clock
        self.ids = ids
        ledger = LedgerService(clock: clock, gate: store.gate)
        notifications = NotificationService(clock: clock)
        certificates = CertificateService(clock: clock, ledger: ledger, notifications: notifications)
        enrollment = try EnrollmentServices(store: store, config: config, clock: clock, ids: ids, ledger: ledger,
                                            notifications: notifications, certificates: certificates)
        programme = ProgramService(clock: clock, ledger: ledger, notifications: notifications, prolongations: enrollment.prolongations,
                                   audit: AuditLog(clock: clock))
        let catalogAccess = CatalogAccess(store: store, clock: clock, catalog: catalogStore)
        catalog = CatalogService(store: store, clock: clock, catalog: catalogAccess)
        agreements = AgreementService(store: store, clock: clock, notifications: notifications)
        registry = RegistryService(store: store, clock: clock, auth: auth, catalog: catalogAccess, agreements: agreements)
        imports = ImportService(store: store, certificates: certificates)
        families = FamilyService(store: store, auth: auth, certificates: certificates)
        payments = PaymentServices(store: store, clock: clock, ledger: ledger, notifications: notifications)
    }
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = NavigatorServices }

    /// Every service of Navigator, built in `configure`.
    var navigator: NavigatorServices {
        get {
            guard let s = storage[ServicesKey.self] else { preconditionFailure("services are built in configure") }
            return s
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    var navigator: NavigatorServices { application.navigator }
}
