import Domain
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// `navigator serve [--hostname H] [--port P] [--demo]`: migrates, optionally loads the demo into an
/// empty database, prints where to open the site, then serves.
struct NavigatorServeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "hostname", short: "H", help: "Адрес, на котором слушать (по умолчанию 127.0.0.1).")
        var hostname: String?
        @Option(name: "port", short: "p", help: "Порт (по умолчанию 8080).")
        var port: Int?
        @Flag(name: "demo", help: "Загрузить демонстрационные данные в пустую базу и показать демо-входы.")
        var demo: Bool
        init() {}
    }

    var help: String { "Запускает веб-сервер Навигатора (сначала применяет миграции)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let host = signature.hostname ?? "127.0.0.1"
        let port = signature.port ?? 8080
        guard (1...65535).contains(port) else {
            context.console.error("Порт должен быть числом от 1 до 65535.")
            throw ExitCode(1)
        }
        app.http.server.configuration.hostname = host
        app.http.server.configuration.port = port
        try await app.migrateSchema()
        if signature.demo {
            let users = try await UserModel.query(on: app.db).count()
            let demoRun = try await DemoRunModel.find(1, on: app.db)
            if users == 0 || (demoRun != nil && demoRun?.finishedAt == nil) {
                context.console.print("Загрузка демонстрационных данных…")
                let plan = DemoPlan(seed: UInt64(bitPattern: demoRun?.seed ?? Int64(DemoPlan.defaultSeed)),
                                    children: demoRun?.children ?? DemoPlan.defaultChildren)
                _ = try await DemoService(db: app.db, app: app, clock: app.clock)
                    .load(plan, progress: DemoProgress(label: "Демо", enabled: true))
            }
        }
        // The application has booted already: start the hourly sweep now, stop it at shutdown.
        let scheduler = SweepScheduler()
        try await scheduler.didBootAsync(app)
        app.lifecycle.use(scheduler)
        let shownHost = host == "0.0.0.0" ? "127.0.0.1" : host
        context.console.print("")
        context.console.print("Навигатор дополнительного образования: http://\(shownHost):\(port)/")
        context.console.print("База данных: \(app.config.database.kind == .sqlite ? "SQLite" : "PostgreSQL")")
        let logins = try await DemoService.loadedLogins(on: app.db)
        if !logins.isEmpty {
            context.console.print("Демо-входы (пароль для всех: \(DemoPlan.password)):")
            for l in logins { context.console.print("  \(l.email.padding(toLength: 36, withPad: " ", startingAt: 0)) \(l.note)") }
        } else if signature.demo {
            context.console.print("База данных не пуста: демонстрационные данные не загружались.")
        }
        context.console.print("")
        // Hostname and port are already in the server configuration: Vapor's command runs with no options.
        var none = CommandInput(arguments: ["navigator"])
        try await app.servers.asyncCommand.run(using: context, signature: try ServeCommand.Signature(from: &none))
    }
}

/// `navigator migrate`: applies pending migrations and exits.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Применяет новые миграции базы данных и завершает работу." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.migrateSchema()
        context.console.print("Миграции применены (\(context.application.config.database.kind.rawValue)).")
    }
}

/// `navigator demo [--children N] [--programs N] [--seed S]`: the deterministic demo; resumable.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "children", help: "Сколько детей создать (по умолчанию \(DemoPlan.defaultChildren)).")
        var children: Int?
        @Option(name: "programs", help: "Сколько программ сгенерировать сверх демонстрационных (по умолчанию 0; например 100000 для нагрузочных проверок).")
        var programs: Int?
        @Option(name: "seed", help: "Зерно генератора (по умолчанию \(DemoPlan.defaultSeed)).")
        var seed: UInt64?
        init() {}
    }

    var help: String { "Загружает демонстрационные данные в пустую базу (прерванную загрузку можно продолжить)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let children = signature.children ?? DemoPlan.defaultChildren
        let programs = signature.programs ?? 0
        guard (0...5_000_000).contains(children) else {
            context.console.error("--children: ожидается число от 0 до 5 000 000.")
            throw ExitCode(2)
        }
        guard (0...1_000_000).contains(programs) else {
            context.console.error("--programs: ожидается число от 0 до 1 000 000.")
            throw ExitCode(2)
        }
        let app = context.application
        try await app.migrateSchema()
        let plan = DemoPlan(seed: signature.seed ?? DemoPlan.defaultSeed, children: children, programs: programs)
        let started = Date()
        do {
            let outcome = try await DemoService(db: app.db, app: app, clock: app.clock)
                .load(plan, progress: DemoProgress(label: "Демо", enabled: true))
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            switch outcome {
            case .alreadyLoaded: context.console.print("Демонстрационные данные с этими параметрами уже загружены.")
            case .resumed: context.console.print("Загрузка продолжена и завершена за \(seconds) с: детей \(children).")
            case .loaded: context.console.print("Демонстрационные данные загружены за \(seconds) с: детей \(children).")
            }
            context.console.print("Демо-входы (пароль для всех: \(DemoPlan.password)):")
            for s in plan.staff { context.console.print("  \(s.email.padding(toLength: 36, withPad: " ", startingAt: 0)) \(s.note)") }
        } catch let refused as DemoService.Refused {
            context.console.error(refused.description)
            throw ExitCode(3)
        }
    }
}

struct ExitCode: Error, CustomStringConvertible {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { "exit code \(code)" }
}

/// `navigator verify`: recomputes every balance from the ledger entries and checks every invariant of
/// domain.md §5; prints what differs and exits non-zero when anything does.
struct VerifyCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }
    var help: String { "Проверяет реестр операций: пересчитывает остатки по записям и проверяет инварианты." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrateSchema()
        let v = try await app.ledger.verify(on: app.db)
        let e = try await app.navigator.enrollment.verifier.verify(on: app.db)
        let pay = try await PaymentVerifier().verify(on: app.db.sql)
        context.console.print("Проверено записей: \(v.entries), остатков: \(v.balances), договоров в реестре операций: \(v.contracts), заявок и договоров: \(e.checked), договоро-месяцев: \(pay.contractMonths), счетов: \(pay.invoices).")
        let problems = v.problems + e.problems + pay.problems
        if problems.isEmpty {
            context.console.print("Нарушений нет.")
            return
        }
        context.console.error("Найдено нарушений: \(problems.count)")
        for p in problems.prefix(100) { context.console.error("  " + p) }
        throw ExitCode(1)
    }
}

/// Finds a municipality by «42-33» (region-code) or by its id.
func findMunicipality(_ raw: String, on db: any Database) async throws -> MunicipalityModel? {
    let parts = raw.split(separator: "-")
    if parts.count == 2, let m = try await MunicipalityModel.query(on: db).filter(\.$regionCode == String(parts[0]))
        .filter(\.$code == String(parts[1])).first() { return m }
    if let id = UUID(uuidString: raw) { return try await MunicipalityModel.find(id, on: db) }
    return nil
}

/// `navigator period close|open --municipality 42-33`: the period rollover, with progress; safe to
/// interrupt and to run again (ledger keys make every posting happen once).
struct PeriodCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "open или close")
        var action: String
        @Option(name: "municipality", help: "Муниципалитет: код региона и муниципалитета через дефис, например 42-33; all — все.")
        var municipality: String?
        @Flag(name: "before-end", help: "Закрыть период до его окончания (или до закрытия последнего месяца), открыть — раньше срока; записывается в журнал.")
        var beforeEnd: Bool
        init() {}
    }

    var help: String { "Смена периода: close — закрыть текущий (списать остатки) после его окончания, open — открыть следующий (начислить номиналы) не раньше чем за 14 дней до начала." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrateSchema()
        guard ["open", "close"].contains(signature.action) else {
            context.console.error("Действие: open или close.")
            throw ExitCode(2)
        }
        var targets: [MunicipalityModel] = []
        if signature.municipality == "all" {
            let ids = Set(try await PeriodModel.query(on: app.db).filter(\.$status != .closed).all().map(\.municipalityID))
            targets = try await MunicipalityModel.query(on: app.db).filter(\.$id ~~ Array(ids)).sort(\.$regionCode).sort(\.$code).all()
        } else if let raw = signature.municipality, let m = try await findMunicipality(raw, on: app.db) {
            targets = [m]
        } else {
            context.console.error("Укажите --municipality, например 42-33, или all.")
            throw ExitCode(2)
        }
        let service = app.navigator.programme
        var failed = false
        for m in targets {
            let progress = DemoProgress(label: "\(m.name): \(signature.action == "open" ? "начисление" : "списание")", enabled: true,
                                        unit: "сертификатов")
            do {
                if signature.action == "close" {
                    // Says what will expire before it does.
                    let check = try await service.closeCheck(municipalityID: m.requireID(), on: app.db)
                    if let refusal = check.refusal, !signature.beforeEnd {
                        context.console.error("\(m.name): \(refusal.message) \(check.expiring.text) Чтобы закрыть всё равно, добавьте --before-end.")
                        failed = true
                        continue
                    }
                    context.console.print("\(m.name): период \(check.period.startsOn)–\(check.period.endsOn). \(check.expiring.text)")
                }
                let r = signature.action == "open"
                    ? try await service.openPeriod(municipalityID: m.requireID(), override: signature.beforeEnd, progress: progress.report, on: app.db)
                    : try await service.closePeriod(municipalityID: m.requireID(), override: signature.beforeEnd, progress: progress.report, on: app.db)
                progress.finish()
                context.console.print("\(m.name): сертификатов \(r.certificates), проведено операций \(r.posted)"
                                      + (signature.action == "open" ? ", продлено договоров \(r.prolonged), ждут подтверждения родителей \(r.awaitingConsent)." : "."))
            } catch let e as AppError {
                context.console.error("\(m.name): \(e.reason)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `navigator close-month --month 2026-11 [--municipality 42-33|all]`: the monthly close (domain §8), the same as the
/// municipality page's button: says what it will do in roubles, then closes with a progress bar. Safe to run again, to
/// interrupt, and to start on two instances at once (the second waits for the first).
struct CloseMonthCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "month", help: "Месяц: ГГГГ-ММ, например 2026-11.")
        var month: String?
        @Option(name: "municipality", help: "Муниципалитет: 42-33; all — все (по умолчанию).")
        var municipality: String?
        init() {}
    }

    var help: String { "Закрытие месяца: списание по договорам с учётом полноты, итоговые счета поставщикам." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrateSchema()
        guard let raw = signature.month, let month = Month(input: raw) else {
            context.console.error("Укажите --month в виде ГГГГ-ММ, например 2026-11.")
            throw ExitCode(2)
        }
        var targets: [MunicipalityModel] = []
        if signature.municipality == nil || signature.municipality == "all" {
            targets = try await MunicipalityModel.query(on: app.db).sort(\.$regionCode).sort(\.$code).all()
        } else if let raw = signature.municipality, let m = try await findMunicipality(raw, on: app.db) {
            targets = [m]
        } else {
            context.console.error("Муниципалитет не найден: укажите --municipality, например 42-33, или all.")
            throw ExitCode(2)
        }
        let closer = app.navigator.payments.closer
        var failed = false
        for m in targets {
            let mid = try m.requireID()
            do {
                _ = try await closer.check(municipalityID: mid, month: month)
                if try await closer.isClosed(municipalityID: mid, month: month, on: app.db.sql) {
                    if signature.municipality != nil && signature.municipality != "all" {
                        context.console.print("\(m.name): месяц «\(month.title)» уже закрыт.")
                    }
                    continue
                }
                let p = try await closer.preview(municipalityID: mid, month: month)
                context.console.print("\(m.name), «\(month.title)»: будет списано \(Money(kopecks: p.charge).formatted) по \(p.contractMonths) договоро-месяцам, возвращено по полноте \(Money(kopecks: p.correction).formatted), оспорено \(p.disputed), поставщиков \(p.providers).")
                let progress = DemoProgress(label: "\(m.name): закрытие месяца", enabled: true, unit: "договоров")
                let r = try await closer.close(municipalityID: mid, month: month, by: .commandLine, progress: progress.report,
                                               waiting: { context.console.print("Месяц закрывает другой экземпляр: ожидание…") })
                progress.finish()
                if r.alreadyDone {
                    context.console.print("\(m.name): месяц «\(month.title)» уже закрыт.")
                } else {
                    context.console.print("\(m.name): договоро-месяцев \(r.contractMonths), списано \(Money(kopecks: r.charged).formatted), возвращено \(Money(kopecks: r.corrected).formatted), итоговых счетов \(r.invoices).")
                }
            } catch let e as AppError {
                context.console.error("\(m.name): \(e.reason)")
                failed = true
                if e.code == "too_early" { break }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `navigator certificates sweep`: returns unused ПФ certificates to учёта (after a warning) and closes
/// certificates of children who turned 18. The server also runs it every hour.
struct CertificatesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "sweep")
        var action: String
        init() {}
    }

    var help: String { "sweep — вернуть неиспользуемые сертификаты ПФ в учёта и закрыть сертификаты 18-летних." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "sweep" else {
            context.console.error("Действие: sweep.")
            throw ExitCode(2)
        }
        let app = context.application
        try await app.migrateSchema()
        let r = try await app.navigator.certificates.sweep(on: app.db)
        context.console.print("Предупреждено: \(r.warned), возвращено в учёта: \(r.returned), закрыто: \(r.closed).")
    }
}

/// `navigator enrollments sweep`: expires applications and offers past their deadline (releasing holds and
/// places) and ends contracts past their last day. Safe to run again.
struct EnrollmentsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "sweep")
        var action: String
    }

    var help: String { "sweep — закрыть просроченные заявки и оферты, завершить договоры после последнего дня." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "sweep" else {
            context.console.error("Действие: sweep.")
            throw ExitCode(2)
        }
        let app = context.application
        try await app.migrateSchema()
        let r = try await app.navigator.enrollment.sweep.run()
        context.console.print("Просрочено заявок и оферт: \(r.expired), завершено договоров: \(r.finished).")
    }
}

/// Runs the certificate sweep every hour while the server runs (every instance may: it is idempotent).
struct SweepScheduler: LifecycleHandler {
    let task: NIOLockedValueBox<Task<Void, Never>?> = .init(nil)

    func didBootAsync(_ app: Application) async throws {
        let service = app.navigator.certificates
        let enrollment = app.navigator.enrollment.sweep
        let db = app.db
        let logger = app.logger
        task.withLockedValue {
            $0 = Task {
                var round = 0
                while !Task.isCancelled {
                    // Deadlines of applications and offers every five minutes; certificates every hour.
                    do {
                        let e = try await enrollment.run()
                        if e != .init() { logger.info("enrollment sweep", metadata: ["expired": "\(e.expired)", "finished": "\(e.finished)"]) }
                        try await IdempotencyMiddleware.prune(db, now: app.clock.now())
                    } catch {
                        logger.error("enrollment sweep failed", metadata: ["error": .string(String(describing: error))])
                    }
                    // The month's close once an hour, half an hour after the certificate sweep — not at start-up, so that a
                    // server started next to a running `close-month` does not take the close over.
                    if round % 12 == 6 {
                        do {
                            let closed = try await app.navigator.payments.closer.closeDue()
                            if closed > 0 { logger.info("month close", metadata: ["municipalities": "\(closed)"]) }
                        } catch {
                            logger.error("month close failed", metadata: ["error": .string(String(describing: error))])
                        }
                    }
                    if round % 12 == 0 {
                        do {
                            let r = try await service.sweep(on: db)
                            if r != .init() { logger.info("certificate sweep", metadata: ["warned": "\(r.warned)", "returned": "\(r.returned)", "closed": "\(r.closed)"]) }
                        } catch {
                            logger.error("certificate sweep failed", metadata: ["error": .string(String(describing: error))])
                        }
                    }
                    round += 1
                    try? await Task.sleep(for: .seconds(300))
                }
            }
        }
    }

    /// Stops the jobs and waits for them: a close in progress stops between batches, before the databases shut down.
    func shutdownAsync(_ app: Application) async {
        let running = task.withLockedValue { t -> Task<Void, Never>? in
            t?.cancel()
            return t
        }
        await running?.value
    }
}

/// `navigator import --municipality 42-33 --as staff@… FILE`: the bulk import of certificates from CSV
/// or XLSX, with progress; a row already imported changes nothing, so an interrupted import is run again.
struct ImportCommand: AsyncCommand {
    /// The options come before the file: the command line is read in this order, so the file may stand before or
    /// after them (`import --municipality 42-33 --as staff@… FILE` as well as `import FILE --municipality …`).
    struct Signature: CommandSignature {
        @Option(name: "municipality", help: "Муниципалитет: 42-33.")
        var municipality: String?
        @Option(name: "as", help: "Электронная почта сотрудника муниципалитета, от имени которого подтверждаются сертификаты.")
        var staff: String?
        @Argument(name: "file", help: "Файл CSV (UTF-8, «;») или XLSX.")
        var file: String
        init() {}
    }

    var help: String { "Загружает детей и сертификаты муниципалитета из файла CSV или XLSX." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrateSchema()
        guard let raw = signature.municipality, let m = try await findMunicipality(raw, on: app.db) else {
            context.console.error("Укажите --municipality, например 42-33.")
            throw ExitCode(2)
        }
        guard let email = signature.staff, let staff = try await UserModel.query(on: app.db).filter(\.$email == email.lowercased()).first(),
              staff.role == Role.municipality, staff.municipalityID == m.id, let principal = staff.principal else {
            context.console.error("Укажите --as: электронную почту сотрудника этого муниципалитета.")
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            context.console.error("Файл не найден: \(signature.file)")
            throw ExitCode(2)
        }
        let progress = DemoProgress(label: "Загрузка", enabled: true, unit: "строк")
        do {
            let report = try await app.navigator.imports.run(data: [UInt8](data), municipalityID: m.requireID(), by: principal,
                                                               progress: progress.report)
            progress.finish()
            for r in report.rows {
                if case .failed(let messages) = r.outcome { context.console.print("строка \(r.line): \(messages.joined(separator: " "))") }
            }
            context.console.print("Создано: \(report.created), без изменений: \(report.unchanged), ошибок: \(report.failed).")
            if report.failed > 0 { throw ExitCode(1) }
        } catch let e as FieldError {
            context.console.error(e.message)
            throw ExitCode(2)
        }
    }
}
