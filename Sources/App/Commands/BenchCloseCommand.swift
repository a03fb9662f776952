import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `navigator bench-close-setup --contracts 1000000`: the demo grown for the monthly close's benchmark — a certified
/// program of the demo provider with one group, and that many children, each with a ПФ certificate (granted, holding
/// its contract) and a contract in force from the first day of the last month that may be closed today. Written in bulk
/// (multi-row inserts, a transaction per chunk) with progress; a chunk already written is skipped, so an interrupted
/// setup is run again. Prints the month to close.
struct BenchCloseSetupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "contracts", help: "Договоров, по умолчанию 1000000.")
        var contracts: Int?
        init() {}
    }

    var help: String { "Готовит данные для замера закрытия месяца: N действующих договоров с сертификатами." }

    static let chunk = 2000

    /// Identifiers of the generated rows: a table prefix and the row's number, so a rerun finds what exists.
    static func id(_ table: UInt32, _ n: Int) -> UUID {
        UUID(uuidString: String(format: "%08x-0000-4000-8000-%012x", table, n))!
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrateSchema()
        let total = signature.contracts ?? 1_000_000
        guard total > 0, total <= 5_000_000 else { context.console.error("--contracts: от 1 до 5000000."); throw ExitCode(2) }
        let db = app.db
        guard let staff = try await UserModel.query(on: db).filter(\.$email == "syut@osinniki.example").first(),
              let providerID = staff.providerID, let provider = try await ProviderModel.find(providerID, on: db),
              let family = try await UserModel.query(on: db).filter(\.$email == "parent@osinniki.example").first(),
              let period = try await PeriodModel.query(on: db).filter(\.$municipalityID == provider.municipalityID)
                  .filter(\.$status == .current).first(),
              let periodStart = LocalDate(iso: period.startsOn), let periodEnd = LocalDate(iso: period.endsOn),
              let municipality = try await MunicipalityModel.find(provider.municipalityID, on: db) else {
            context.console.error("Нет демонстрационных данных: сначала navigator demo.")
            throw ExitCode(1)
        }
        let today = CertificateService.today(region: provider.regionCode, at: app.clock.now())
        var month = Month(today).previous
        if MonthClose.mayClose(month, today: today) != nil { month = month.previous }
        guard month.first >= periodStart, month.last <= periodEnd else {
            context.console.error("Месяц \(month.key) вне текущего периода \(period.startsOn)–\(period.endsOn): замер нужно запускать внутри периода.")
            throw ExitCode(1)
        }
        // The program and its one group (found again on a rerun).
        let name = "Замер закрытия месяца"
        let group: GroupModel
        if let p = try await ProgramModel.query(on: db).filter(\.$name == name).filter(\.$providerID == providerID).first(),
           let g = try await GroupModel.query(on: db).filter(\.$programID == p.requireID()).first() {
            group = g
        } else {
            let builder = CertifiedProgramBuilder(name: name, annotation: "Программа для замера закрытия месяца.", price: 1_800_000,
                                                  normative: 1_638_000, capacity: total, groupStart: periodStart, groupEnd: periodEnd,
                                                  teacher: "Педагог", address: "г. Осинники")
            group = try await db.transaction { tx in try await builder.create(for: provider, on: tx).groups[0] }
        }
        let nominal: Int64 = 1_200_000
        let start = month.first
        let end = min(periodEnd, LocalDate(iso: group.endsOn) ?? periodEnd)
        let quote = try ContractArithmetic.quote(.init(
            groupStart: LocalDate(iso: group.startsOn)!, groupEnd: LocalDate(iso: group.endsOn)!, price: Money(kopecks: 1_800_000),
            normative: Money(kopecks: 1_638_000), contractStart: start, contractEnd: end, balance: Money(kopecks: nominal))).get()
        let months = MonthPart.encode(MonthPart.from(quote))
        let certificate = quote.certificate.kopecks, parent = quote.parent.kopecks, full = quote.full.kopecks
        let progress = DemoProgress(label: "Договоры", enabled: true, unit: "договоров")
        let now = app.clock.now()
        let periodID = try period.requireID(), groupID = try group.requireID()
        let familyID = try family.requireID(), municipalityID = try municipality.requireID()
        var written = 0
        for base in stride(from: 0, to: total, by: Self.chunk) {
            let count = min(Self.chunk, total - base)
            let last = Self.id(3, base + count - 1)
            if try await db.sql.select().column("id").from("contracts").where("id", .equal, last).first() != nil {
                written += count
                progress.report(base + count, total)
                continue
            }
            try await db.transaction { tx in
                let sql = tx.sql
                for sub in stride(from: base, to: base + count, by: 1000) {
                    let range = sub..<min(base + count, sub + 1000)
                    var children = sql.insert(into: "children").columns("id", "family_id", "region_code", "municipality_id", "surname", "name",
                                                                         "patronymic", "birth_date", "sex", "snils", "created_at")
                    var certs = sql.insert(into: "certificates").columns("id", "child_id", "family_id", "region_code", "municipality_id", "kind",
                                                                         "status", "frozen", "closes_on", "created_at")
                    var balances = sql.insert(into: "ledger_balances").columns("id", "certificate_id", "period_id", "granted", "reserved", "spent",
                                                                               "expired", "seq")
                    var entries = sql.insert(into: "ledger_entries").columns("id", "certificate_id", "period_id", "contract_id", "kind", "amount",
                                                                             "operation_key", "note", "created_at", "seq")
                    var holds = sql.insert(into: "ledger_contracts").columns("contract_id", "certificate_id", "period_id", "held", "released",
                                                                             "charged", "corrected")
                    var contracts = sql.insert(into: "contracts").columns(
                        "id", "region_code", "municipality_id", "provider_id", "program_id", "module_id", "group_id", "child_id", "family_id",
                        "certificate_id", "period_id", "funding", "status", "starts_on", "ends_on", "planned_ends_on", "full_amount",
                        "certificate_amount", "parent_amount", "months", "from_waitlist", "created_at", "activated_at")
                    for n in range {
                        let child = Self.id(1, n), cert = Self.id(2, n), contract = Self.id(3, n)
                        children = children.values(SQLBind(child), SQLBind(familyID), SQLBind(provider.regionCode), SQLBind(municipalityID),
                                                   SQLBind("Замеров"), SQLBind("Ребёнок \(n)"), SQLBind(""), SQLBind(today.adding(years: -10).iso),
                                                   SQLBind("male"), SQLBind(DemoPlan.snils(forChild: 500_000_000 + n)), SQLBind(now))
                        certs = certs.values(SQLBind(cert), SQLBind(child), SQLBind(familyID), SQLBind(provider.regionCode),
                                             SQLBind(municipalityID), SQLBind(CertificateKind.financing.rawValue),
                                             SQLBind(CertificateStatus.active.rawValue), SQLBind(false), SQLBind(today.adding(years: 8).iso), SQLBind(now))
                        balances = balances.values(SQLBind(Self.id(4, n)), SQLBind(cert), SQLBind(periodID), SQLBind(nominal), SQLBind(certificate),
                                                   SQLBind(0), SQLBind(0), SQLBind(2))
                        entries = entries.values(SQLBind(Self.id(5, n)), SQLBind(cert), SQLBind(periodID), SQLBind(Optional<UUID>.none),
                                                 SQLBind(LedgerKind.grant.rawValue), SQLBind(nominal), SQLBind("bench-grant:\(cert.lowercasedString)"),
                                                 SQLBind("Номинал периода"), SQLBind(now), SQLBind(1))
                        if certificate > 0 {
                            entries = entries.values(SQLBind(Self.id(6, n)), SQLBind(cert), SQLBind(periodID), SQLBind(contract),
                                                     SQLBind(LedgerKind.hold.rawValue), SQLBind(certificate), SQLBind("bench-hold:\(contract.lowercasedString)"),
                                                     SQLBind("Резерв по заявке"), SQLBind(now), SQLBind(2))
                            holds = holds.values(SQLBind(contract), SQLBind(cert), SQLBind(periodID), SQLBind(certificate), SQLBind(0), SQLBind(0), SQLBind(0))
                        }
                        contracts = contracts.values(SQLBind(contract), SQLBind(provider.regionCode), SQLBind(municipalityID), SQLBind(providerID),
                                                     SQLBind(group.programID), SQLBind(group.moduleID), SQLBind(groupID), SQLBind(child),
                                                     SQLBind(familyID), SQLBind(cert), SQLBind(periodID), SQLBind(FundingKind.certificate.rawValue),
                                                     SQLBind(ContractStatus.active.rawValue), SQLBind(start.iso), SQLBind(end.iso), SQLBind(end.iso),
                                                     SQLBind(full), SQLBind(certificate), SQLBind(parent), SQLBind(months), SQLBind(false), SQLBind(now), SQLBind(now))
                    }
                    try await children.run()
                    try await certs.run()
                    try await balances.run()
                    // The entries are two per contract: two statements of half the rows keep the parameters under SQLite's limit.
                    try await entries.run()
                    if certificate > 0 { try await holds.run() }
                    try await contracts.run()
                }
                try await sql.update("program_groups").set("taken", to: SQLRaw("taken + \(count)")).where("id", .equal, groupID).run()
            }
            written += count
            progress.report(base + count, total)
        }
        progress.finish()
        context.console.print("Договоров: \(written). Закрываемый месяц: \(month.key). Муниципалитет: \(municipality.regionCode)-\(municipality.code).")
    }
}

/// `navigator bench-close-baseline --rows N`: the baseline of the close's benchmark — the same number of ledger-like rows
/// (the columns and the unique key of `ledger_entries`) inserted into a scratch table with plain multi-row INSERTs of
/// 1000 rows, in transactions of 10 000. Prints the seconds.
struct BenchCloseBaselineCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "rows", help: "Строк, по умолчанию 1000000.")
        var rows: Int?
        init() {}
    }

    var help: String { "Базовая линия замера закрытия месяца: вставка N строк журнала операций простым SQL." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let rows = signature.rows ?? 1_000_000
        let sql = app.db.sql
        try await sql.raw("DROP TABLE IF EXISTS bench_ledger").run()
        try await sql.raw("""
            CREATE TABLE bench_ledger (id UUID PRIMARY KEY, certificate_id UUID NOT NULL, period_id UUID NOT NULL, contract_id UUID,
            kind TEXT NOT NULL, amount BIGINT NOT NULL, operation_key TEXT NOT NULL UNIQUE, note TEXT, created_at TIMESTAMP NOT NULL, seq BIGINT NOT NULL)
            """).run()
        let started = ContinuousClock.now
        let now = Date(), period = UUID()
        for base in stride(from: 0, to: rows, by: 10_000) {
            try await app.db.transaction { tx in
                for sub in stride(from: base, to: min(rows, base + 10_000), by: 1000) {
                    var insert = tx.sql.insert(into: "bench_ledger").columns("id", "certificate_id", "period_id", "contract_id", "kind", "amount",
                                                                             "operation_key", "note", "created_at", "seq")
                    for n in sub..<min(rows, sub + 1000) {
                        insert = insert.values(SQLBind(BenchCloseSetupCommand.id(7, n)), SQLBind(BenchCloseSetupCommand.id(2, n)), SQLBind(period),
                                               SQLBind(BenchCloseSetupCommand.id(3, n)), SQLBind("charge"), SQLBind(Int64(133_516)),
                                               SQLBind("charge:\(n)"), SQLBind("Списание"), SQLBind(now), SQLBind(Int64(3)))
                    }
                    try await insert.run()
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        try await sql.raw("DROP TABLE bench_ledger").run()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        context.console.print(String(format: "%.2f", seconds))
    }
}
