@testable import App
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Paying providers (domain §8, issue 14): completeness, the monthly close, advances and final invoices, the period's
/// date rules, on both databases.
@Suite struct PaymentTests {
    /// Three children in a group from 22 November 2026: their contracts in force.
    static func contracts(_ app: Application, _ f: EnrollmentFixture, count: Int = 3) async throws -> [ContractModel] {
        let kids = try await f.children(app, count, balance: 1_200_000)
        let parent = try await apiToken(app, "parent@osinniki.example")
        let provider = try await apiToken(app, "syut@osinniki.example")
        var out: [ContractModel] = []
        for kid in kids {
            let res = try await apiPost(app, "/api/v1/applications", #"{"group":"\#(f.groupID)","child":"\#(kid.id!)"}"#, token: parent)
            #expect(res.status == .created, "\(res.text)")
            let a = try decode(ApplicationJSON.self, res)
            #expect(try await apiPost(app, "/api/v1/applications/\(a.id)/offer", "{}", token: provider).status == .ok)
            #expect(try await apiPost(app, "/api/v1/applications/\(a.id)/accept", "{}", token: parent).status == .ok)
            out.append(try await ContractModel.find(a.id, on: app.db)!)
        }
        return out
    }

    static func sum(_ app: Application, _ kind: String, contract: UUID) async throws -> Int64 {
        try await app.db.sql.select().column(SQLRaw("CAST(coalesce(sum(amount), 0) AS BIGINT)"), as: "s")
            .from("ledger_entries").where("kind", .equal, kind).where("contract_id", .equal, contract).first()!.decode(column: "s", as: Int64.self)
    }

    @Test func advanceCompletenessCloseAndFinalInvoice() async throws {
        let clock = TestClock()
        try await withNavigator(demoChildren: 0, clock: clock) { app in
            let f = try await EnrollmentFixture.make(app)
            let contracts = try await Self.contracts(app, f)
            let pay = app.navigator.payments
            let november = Month(year: 2026, month: 11)!
            let syut = try await UserModel.query(on: app.db).filter(\.$email == "syut@osinniki.example").first()!
            let providerID = syut.providerID!
            let parts = contracts.map { MonthPart.decode($0.months).first { $0.month == "2026-11" }!.certificate }
            #expect(parts.allSatisfy { $0 > 0 })

            // 22 November: the advance of November, 80 % of each part; asked twice, refused the second time.
            let advances = try await pay.invoices.requestAdvance(providerID: providerID, month: november, by: .commandLine)
            #expect(advances.count == 1 && advances[0].kind == .advance && advances[0].status == .new)
            #expect(advances[0].due == parts.map { PaymentRules.advance($0) }.reduce(0, +))
            #expect(advances[0].dueOn == "2026-12-10")
            await #expect(throws: AppError.self) { try await pay.invoices.requestAdvance(providerID: providerID, month: november, by: .commandLine) }
            // December's advance is not due yet; closing November is too early.
            await #expect(throws: AppError.self) {
                try await pay.invoices.requestAdvance(providerID: providerID, month: november.next, by: .commandLine)
            }
            await #expect(throws: AppError.self) {
                try await pay.closer.close(municipalityID: f.municipalityID, month: november, by: .commandLine)
            }
            // Completeness outside the reporting window is refused.
            await #expect(throws: AppError.self) {
                try await pay.completeness.report(providerID: providerID, groupID: f.groupID, month: november, percent: "90", reason: "карантин", by: nil)
            }

            // 2 December (in the window, 1–7 December): 87,5 % with a reason; without a reason, or foreign, refused.
            clock.advance(10 * 86400)
            await #expect(throws: AppError.self) {
                try await pay.completeness.report(providerID: providerID, groupID: f.groupID, month: november, percent: "87,5", reason: "", by: nil)
            }
            await #expect(throws: AppError.self) {
                try await pay.completeness.report(providerID: providerID, groupID: f.groupID, month: november, percent: "101", reason: "x", by: nil)
            }
            let rival = try await UserModel.query(on: app.db).filter(\.$email == "robostart@osinniki.example").first()!.providerID!
            await #expect(throws: Abort.self) {
                try await pay.completeness.report(providerID: rival, groupID: f.groupID, month: november, percent: "50", reason: "чужая", by: nil)
            }
            let reported = try await pay.completeness.report(providerID: providerID, groupID: f.groupID, month: november, percent: "87,5",
                                                             reason: "Карантин 3 дня", by: syut.id)
            #expect(reported.hundredths == 8750)
            let groups = try await pay.completeness.groups(providerID: providerID, month: november)
            #expect(groups.count == 1 && groups[0].children.count == 3 && groups[0].completeness?.hundredths == 8750)
            #expect(groups[0].certificateTotal == parts.reduce(0, +))

            // 8 December: the close. It says what it will do, does it, and a second run changes nothing.
            clock.advance(6 * 86400)
            let preview = try await pay.closer.preview(municipalityID: f.municipalityID, month: november)
            let finals = parts.map { PaymentRules.final($0, reported) }
            #expect(preview.contractMonths == 3 && preview.charge == parts.reduce(0, +))
            #expect(preview.correction == parts.reduce(0, +) - finals.reduce(0, +))
            let r = try await pay.closer.close(municipalityID: f.municipalityID, month: november, by: .commandLine)
            #expect(r.contractMonths == 3 && r.charged == preview.charge && r.corrected == preview.correction && r.invoices == 1)
            #expect(try await pay.closer.close(municipalityID: f.municipalityID, month: november, by: .commandLine).alreadyDone)
            for (c, part) in zip(contracts, parts) {
                #expect(try await Self.sum(app, "charge", contract: c.id!) == part)
                #expect(try await Self.sum(app, "correction", contract: c.id!) == part - PaymentRules.final(part, reported))
            }
            // Completeness can no longer change.
            await #expect(throws: AppError.self) {
                try await pay.completeness.report(providerID: providerID, groupID: f.groupID, month: november, percent: "100", reason: nil, by: nil)
            }

            // The final invoice: completeness × the part, less the advance.
            let municipalityStaff = try await UserModel.query(on: app.db).filter(\.$email == "osinniki@kuzbass.example").first()!.principal!
            let all = try await pay.invoices.list(for: municipalityStaff)
            let final = try #require(all.first { $0.kind == .final })
            #expect(final.finals == finals.reduce(0, +) && final.advances == advances[0].due && final.due == final.finals - final.advances)
            #expect(final.dueOn == "2027-01-10")
            let lines = try await pay.invoices.lines(of: final.id)
            #expect(lines.count == 3 && lines.allSatisfy { $0.completeness.hundredths == 8750 && $0.childInitials.hasPrefix("Т.") })
            // The provider sees it, another provider does not; only the municipality moves it.
            let provider = syut.principal!
            #expect(try await pay.invoices.list(for: provider).count == 2)
            let rivalStaff = try await UserModel.query(on: app.db).filter(\.$email == "robostart@osinniki.example").first()!.principal!
            await #expect(throws: Abort.self) { try await pay.invoices.visible(final.id, to: rivalStaff) }
            await #expect(throws: Abort.self) { try await pay.invoices.step(final.id, .take, by: provider) }
            #expect(try await pay.invoices.step(final.id, .take, by: municipalityStaff).status == .inWork)
            await #expect(throws: AppError.self) {
                try await pay.invoices.step(final.id, .pay(order: "", on: LocalDate(iso: "2026-12-08")!), by: municipalityStaff)
            }
            let paid = try await pay.invoices.step(final.id, .pay(order: "1234", on: LocalDate(iso: "2026-12-08")!), by: municipalityStaff)
            #expect(paid.status == .paid && paid.paymentOrder == "1234")
            let audit = try await pay.audit.entries(municipalityID: f.municipalityID, on: app.db.sql)
            #expect(audit.contains { $0.action == "month-close" } && audit.contains { $0.action == "invoice-paid" })

            // The API and the pages show the same, each role in its scope.
            let providerToken = try await apiToken(app, "syut@osinniki.example")
            let rivalToken = try await apiToken(app, "robostart@osinniki.example")
            let municipalityToken = try await apiToken(app, "osinniki@kuzbass.example")
            let parentToken = try await apiToken(app, "parent@osinniki.example")
            let shown = try await apiGet(app, "/api/v1/invoices/\(final.id)", token: providerToken)
            #expect(shown.status == .ok && shown.text.contains("\"payable\":\(final.settlement.payable)") && shown.text.contains("\"lines\""), "\(shown.text)")
            #expect(try await apiGet(app, "/api/v1/invoices/\(final.id)", token: rivalToken).status == .notFound)
            #expect(try await apiGet(app, "/api/v1/invoices", token: parentToken).status == .forbidden)
            #expect(try await apiPost(app, "/api/v1/invoices/\(final.id)/take", "{}", token: providerToken).status == .forbidden)
            #expect(try await apiPost(app, "/api/v1/invoices/\(final.id)/delete", #"{"reason":"x"}"#, token: municipalityToken).status == .conflict)
            let nov = try await apiGet(app, "/api/v1/provider/completeness?month=2026-11", token: providerToken)
            #expect(nov.status == .ok && nov.text.contains("\"closed\":true") && nov.text.contains("\"completeness\":8750"), "\(nov.text)")
            #expect(try await apiGet(app, "/api/v1/provider/completeness?month=2026-13", token: providerToken).status == .unprocessableEntity)
            #expect(try await apiGet(app, "/api/v1/provider/completeness?month=9999-12", token: providerToken).status == .unprocessableEntity)
            #expect(try await apiPost(app, "/api/v1/municipality/month-close", #"{"month":"9999-12"}"#, token: municipalityToken).status == .unprocessableEntity)
            let late = try await apiPost(app, "/api/v1/provider/completeness", #"{"group":"\#(f.groupID)","month":"2026-11","completeness":10000}"#, token: providerToken)
            #expect(late.status == .conflict && late.text.contains("month_closed"), "\(late.text)")
            let previewAPI = try await apiGet(app, "/api/v1/municipality/month-close?month=2026-11", token: municipalityToken)
            #expect(previewAPI.status == .ok && previewAPI.text.contains("\"closed\":true"), "\(previewAPI.text)")
            let again = try await apiPost(app, "/api/v1/municipality/month-close", #"{"month":"2026-11"}"#, token: municipalityToken)
            #expect(again.status == .ok && again.text.contains("\"alreadyDone\":true"), "\(again.text)")
            let b = Browser(app)
            try await b.login("syut@osinniki.example")
            let page = try await b.get("/provider/payments?month=2026-11")
            #expect(page.status == .ok && page.text.contains("Оплата услуг") && page.text.contains("Т. Р."), "\(page.text.prefix(300))")
            let print = try await b.get("/invoices/\(final.id)")
            #expect(print.status == .ok && print.text.contains(final.number) && print.text.contains("Итого"))
            let csv = try await b.get("/invoices/\(final.id)/lines.csv")
            #expect(csv.status == .ok && csv.text.contains("Итого") && csv.text.components(separatedBy: "\r\n").count == 6)
            let xlsx = try await b.get("/invoices/\(final.id)/lines.xlsx")
            #expect(xlsx.status == .ok && xlsx.body.readableBytes > 500 && xlsx.body.getString(at: 0, length: 2) == "PK")
            let m = Browser(app)
            try await m.login("osinniki@kuzbass.example")
            let mp = try await m.get("/municipality/payments?month=2026-11")
            #expect(mp.status == .ok && mp.text.contains("Оплата поставщикам") && mp.text.contains("Журнал операций") && mp.text.contains("Итоги месяца"))
            try await expectClean(app)
        }
    }

    @Test func anInterruptedCloseFinishesWithTheSameResultAndTwoClosesDoNotCollide() async throws {
        let clock = TestClock()
        try await withNavigator(demoChildren: 0, clock: clock) { app in
            let f = try await EnrollmentFixture.make(app, capacity: 12)
            let contracts = try await Self.contracts(app, f, count: 7)
            let november = Month(year: 2026, month: 11)!
            clock.advance(16 * 86400)
            var closer = app.navigator.payments.closer
            closer.batchSize = 2
            // A close that dies after two batches: its lease is left behind.
            var dying = closer
            dying.stopAfterBatches = 2
            await #expect(throws: MonthCloser.Interrupted.self) {
                try await dying.close(municipalityID: f.municipalityID, month: november, by: .commandLine)
            }
            let partial = try await app.db.sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("contract_months")
                .first()!.decode(column: "n", as: Int.self)
            #expect(partial == 4)
            // The server's hourly job leaves a close that another runner holds alone, without waiting.
            let skipped = try await closer.close(municipalityID: f.municipalityID, month: november, by: .schedule, wait: false)
            #expect(skipped.skipped && !skipped.alreadyDone && skipped.contractMonths == 0)
            // Two runs at once once the lease has run out: one finishes the job, the other finds it done.
            clock.advance(60)
            async let a = closer.close(municipalityID: f.municipalityID, month: november, by: .commandLine)
            async let b = closer.close(municipalityID: f.municipalityID, month: november, by: .commandLine)
            let (ra, rb) = try await (a, b)
            #expect([ra.alreadyDone, rb.alreadyDone].filter { $0 }.count == 1)
            #expect(ra.contractMonths + rb.contractMonths == 3)
            for c in contracts {
                let part = MonthPart.decode(c.months).first { $0.month == "2026-11" }!.certificate
                #expect(try await Self.sum(app, "charge", contract: c.id!) == part)
            }
            let invoices = try await app.db.sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("invoices")
                .first()!.decode(column: "n", as: Int.self)
            #expect(invoices == 1)
            try await expectClean(app)
        }
    }

    @Test func aPeriodClosesOnlyAfterItEndedUnlessOverriddenAndStatesWhatExpires() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let f = try await EnrollmentFixture.make(app)
            _ = try await f.children(app, 2, balance: 1_200_000)
            let programme = app.navigator.programme
            let check = try await programme.closeCheck(municipalityID: f.municipalityID, on: app.db)
            #expect(check.refusal?.code == "period_not_ended")
            #expect(check.expiring.amount >= 2_400_000 && check.expiring.certificates >= 2)
            do {
                _ = try await programme.closePeriod(municipalityID: f.municipalityID, on: app.db)
                Issue.record("closed before its end")
            } catch let e as AppError {
                #expect(e.code == "period_not_ended" && e.reason.contains("Будет списан остаток"), "\(e.reason)")
            }
            #expect(try await PeriodModel.find(f.periodID, on: app.db)?.status == .current)
            // The page asks again with the amount; the API refuses without the override.
            let municipality = try await apiToken(app, "osinniki@kuzbass.example")
            let refused = try await apiPost(app, "/api/v1/municipality/periods/close", "{}", token: municipality)
            #expect(refused.status == .conflict && refused.text.contains("period_not_ended"), "\(refused.text)")
            let b = Browser(app)
            try await b.login("osinniki@kuzbass.example")
            let page = try await b.post("/municipality/periods/close", [:])
            #expect(page.status == .unprocessableEntity && page.text.contains("Закрыть досрочно"))
            #expect(try await PeriodModel.find(f.periodID, on: app.db)?.status == .current)
            // With the override it closes, and the audit log says who and what.
            let forced = try await b.post("/municipality/periods/close", ["beforeEnd": "on"])
            #expect(forced.status == .seeOther)
            #expect(try await PeriodModel.find(f.periodID, on: app.db)?.status == .closed)
            let audit = try await app.navigator.payments.audit.entries(municipalityID: f.municipalityID, on: app.db.sql)
            #expect(audit.contains { $0.action == "period-close-override" && $0.summary.contains("досрочно") && $0.actor.contains("муниципалитет") })
            // The server's hourly job closes the previous month (October, on 22 November) of every municipality with a
            // current period, also with nothing owed; a second round finds nothing to do.
            let closer = app.navigator.payments.closer
            let other = try await MunicipalityModel.query(on: app.db).filter(\.$id != f.municipalityID).all()
            var withPeriod = 0
            for m in other where try await PeriodModel.query(on: app.db).filter(\.$municipalityID == m.id!).filter(\.$status == .current).first() != nil {
                withPeriod += 1
            }
            #expect(try await closer.closeDue() == withPeriod)
            #expect(try await closer.closeDue() == 0)
            #expect(try await !closer.isClosed(municipalityID: f.municipalityID, month: Month(year: 2026, month: 10)!, on: app.db.sql))
        }
    }

    @Test func disputesHoldAMonthOutOfTheInvoiceUntilTheMunicipalityDecides() async throws {
        let clock = TestClock()
        try await withNavigator(demoChildren: 0, clock: clock) { app in
            let f = try await EnrollmentFixture.make(app)
            let contracts = try await Self.contracts(app, f)
            let pay = app.navigator.payments
            let november = Month(year: 2026, month: 11)!
            let parent = try await UserModel.query(on: app.db).filter(\.$email == "parent@osinniki.example").first()!.principal!
            let stranger = try await UserModel.query(on: app.db).filter(\.$email == "parent@barnaul.example").first()!.principal!
            let municipality = try await UserModel.query(on: app.db).filter(\.$email == "osinniki@kuzbass.example").first()!.principal!
            let provider = try await UserModel.query(on: app.db).filter(\.$email == "syut@osinniki.example").first()!.principal!
            // Before the month ends it cannot be disputed.
            await #expect(throws: AppError.self) { try await pay.disputes.open(contractID: contracts[0].id!, month: november, text: "Не было занятий", by: parent) }
            // 2 December: the parent disputes November of the first contract; twice, or someone else's, is refused.
            clock.advance(10 * 86400)
            let d0 = try await pay.disputes.open(contractID: contracts[0].id!, month: november, text: "Занятия не проводились две недели", by: parent)
            #expect(d0.status == .open)
            await #expect(throws: AppError.self) { try await pay.disputes.open(contractID: contracts[0].id!, month: november, text: "ещё раз", by: parent) }
            await #expect(throws: Abort.self) { try await pay.disputes.open(contractID: contracts[1].id!, month: november, text: "чужой", by: stranger) }
            await #expect(throws: AppError.self) { try await pay.disputes.open(contractID: contracts[1].id!, month: november, text: "", by: parent) }
            // 8 December: the close charges all three, but the disputed month stays out of the final invoice.
            clock.advance(6 * 86400)
            let r = try await pay.closer.close(municipalityID: f.municipalityID, month: november, by: .commandLine)
            #expect(r.contractMonths == 3 && r.invoices == 1)
            let final = try #require(try await pay.invoices.list(for: municipality).first { $0.kind == .final })
            #expect(try await pay.invoices.lines(of: final.id).map(\.contractID).sorted { $0.uuidString < $1.uuidString }
                    == [contracts[1].id!, contracts[2].id!].sorted { $0.uuidString < $1.uuidString })
            // 9 December: the second contract's month is disputed after the close: its line leaves the unpaid invoice.
            clock.advance(86400)
            _ = try await pay.disputes.open(contractID: contracts[1].id!, month: november, text: "Педагог болел", by: parent)
            let shrunk = try await pay.invoices.invoice(final.id, on: app.db.sql)!
            #expect(try await pay.invoices.lines(of: final.id).count == 1 && shrunk.finals < final.finals)
            // The provider cannot decide; the municipality upholds the first (50 %) and rejects the second.
            await #expect(throws: AppError.self) { try await pay.disputes.decide(d0.id, uphold: true, completeness: Completeness(hundredths: 5000), decision: "x", by: provider) }
            await #expect(throws: AppError.self) {
                try await pay.disputes.decide(d0.id, uphold: true, completeness: nil, decision: "Подтверждено", by: municipality)
            }
            let upheld = try await pay.disputes.decide(d0.id, uphold: true, completeness: Completeness(hundredths: 5000)!,
                                                       decision: "Подтверждено журналом посещаемости", by: municipality)
            #expect(upheld.status == .upheld)
            let part0 = MonthPart.decode(contracts[0].months).first { $0.month == "2026-11" }!.certificate
            #expect(try await Self.sum(app, "correction", contract: contracts[0].id!) == part0 - PaymentRules.final(part0, Completeness(hundredths: 5000)!))
            await #expect(throws: AppError.self) {
                try await pay.disputes.decide(d0.id, uphold: false, completeness: nil, decision: "передумали", by: municipality)
            }
            let totals = try await MonthTotals.read(municipalityID: f.municipalityID, month: november, on: app.db.sql)
            let parts = contracts.map { MonthPart.decode($0.months).first { $0.month == "2026-11" }!.certificate }
            #expect(totals.charged == parts.reduce(0, +) && totals.returnedByCompleteness == 0
                    && totals.returnedByDisputes == part0 - PaymentRules.final(part0, Completeness(hundredths: 5000)!) && totals.paid == 0)
            let d1 = try await pay.disputes.list(for: municipality, on: app.db.sql).first { $0.contractID == contracts[1].id! }!
            #expect(try await pay.disputes.decide(d1.id, uphold: false, completeness: nil, decision: "Занятия проводились", by: municipality).status == .rejected)
            // The family and the provider were told; the contract page shows the history.
            let notes = try await app.notifications.list(f.familyID, on: app.db).map(\.text)
            #expect(notes.contains { $0.contains("удовлетворена") } && notes.contains { $0.contains("отклонена") })
            let b = Browser(app)
            try await b.login("parent@osinniki.example")
            let page = try await b.get(SiteRoute.familyApplication(contracts[0].id!).url)
            #expect(page.text.contains("Споры") && page.text.contains("удовлетворена") && page.text.contains("скорректировано"))
            try await expectClean(app)
            // Both months go into the next final invoice (December's close in January), the first one lowered.
            clock.advance(40 * 86400)
            let december = try await pay.closer.close(municipalityID: f.municipalityID, month: november.next, by: .commandLine)
            #expect(december.invoices == 1)
            let next = try #require(try await pay.invoices.list(for: municipality, month: november.next).first { $0.kind == .final })
            let lines = try await pay.invoices.lines(of: next.id)
            #expect(lines.filter { $0.month == november }.count == 2 && lines.filter { $0.month == november.next }.count == 3)
            #expect(lines.first { $0.contractID == contracts[0].id! && $0.month == november }?.completeness.hundredths == 5000)
            try await expectClean(app)
        }
    }

    @Test func aTransferEndsTheOldContractThisMonthAndPaysTheNewOneWithWhatCameBack() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let f = try await EnrollmentFixture.make(app)
            let other = try await EnrollmentFixture.make(app, price: 2_400_000, normative: 2_200_000)
            let old = try await Self.contracts(app, f, count: 1)[0]
            let parent = try await UserModel.query(on: app.db).filter(\.$email == "parent@osinniki.example").first()!.principal!
            let stranger = try await UserModel.query(on: app.db).filter(\.$email == "parent@barnaul.example").first()!.principal!
            let transfers = app.navigator.enrollment.transfers
            await #expect(throws: Abort.self) { try await transfers.plan(contractID: old.id!, groupID: other.groupID, by: stranger) }
            #expect(try await transfers.plan(contractID: old.id!, groupID: f.groupID, by: parent).refusal?.code == "same_group")
            // 22 November: the old contract ends on 30 November; December's part comes back and pays the new one from 1 December.
            let plan = try await transfers.plan(contractID: old.id!, groupID: other.groupID, by: parent)
            #expect(plan.refusal == nil && plan.rule.oldEnd?.iso == "2026-11-30" && plan.rule.newStart.iso == "2026-12-01")
            let december = old.parts.first { $0.month == "2026-12" }!.certificate
            #expect(plan.rule.released == december)
            let cert = try await CertificateModel.query(on: app.db).filter(\.$childID == old.childID).first()!
            let before = try await app.ledger.balance(certificateID: cert.id!, periodID: f.periodID, on: app.db)
            let quote = try #require(plan.quote)
            #expect(quote.certificate.kopecks == min(quote.full.kopecks, quote.normative.kopecks, before.available + december))
            let (ended, new) = try await transfers.transfer(contractID: old.id!, groupID: other.groupID, by: parent)
            #expect(ended.status == .terminating && ended.endsOn == "2026-11-30")
            #expect(new.status == .applied && new.startsOn == "2026-12-01" && new.certificateAmount == quote.certificate.kopecks)
            // The API's plan says the same; a second transfer of the ended contract is refused.
            let token = try await apiToken(app, "parent@osinniki.example")
            let again = try await apiPost(app, "/api/v1/applications/\(old.id!)/transfer", #"{"group":"\#(other.groupID)"}"#, token: token)
            #expect(again.status == .ok && again.text.contains("\"mayTransfer\":false") && again.text.contains("not_active"), "\(again.text)")
            #expect(try await apiPost(app, "/api/v1/applications/\(old.id!)/transfer", #"{"group":"x"}"#, token: token).status == .badRequest)
            #expect(try await apiPost(app, "/api/v1/applications/\(old.id!)/transfer", #"{"group":"\#(other.groupID)","confirm":true}"#, token: token).status == .conflict)
            let b = Browser(app)
            try await b.login("parent@osinniki.example")
            let page = try await b.get("/family/enroll?group=\(f.groupID)&child=\(old.childID)")
            #expect(page.status == .ok)
            try await expectClean(app)
        }
    }
}
