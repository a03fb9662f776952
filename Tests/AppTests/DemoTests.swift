@testable import App
import Domain
import Fluent
import Testing
import Vapor

@Suite struct DemoTests {
    @Test func demoLoadsEveryRoleAndTheExactNumberOfChildren() async throws {
        try await withNavigator(demoChildren: 31) { app in
            let named = DemoPlan.namedChildren.count
            let v11 = try await ChildModel.query(on: app.db).count()
            #expect(v11 == 31 + named)
            for role in Role.allCases {
                let v13 = try await UserModel.query(on: app.db).filter(\.$role == role).count()
                #expect(v13 > 0)
            }
            let v15 = try await ProviderModel.query(on: app.db).filter(\.$isIssuingPoint == true).count()
            #expect(v15 == 3)
            let v16 = try await DemoService.loadedLogins(on: app.db).count == DemoPlan().staff.count
            #expect(v16)
        }
    }

    @Test func demoFamiliesHoldCertificatesOfBothTypesWithGrants() async throws {
        try await withNavigator(demoChildren: 200) { app in
            for state in [CertificateStatus.pending, .active] {
                let n = try await CertificateModel.query(on: app.db).filter(\.$status == state).count()
                #expect(n > 20, "\(state)")
            }
            for kind in [CertificateKind.accounting, .financing] {
                let n = try await CertificateModel.query(on: app.db).filter(\.$status == .active).filter(\.$kind == kind).count()
                #expect(n > 20, "\(kind)")
            }
            let numbers = try await CertificateModel.query(on: app.db).filter(\.$status == .active).all().compactMap(\.number)
            #expect(Set(numbers).count == numbers.count)
            #expect(numbers.allSatisfy { $0.count == 10 && ($0.hasPrefix("42") || $0.hasPrefix("22")) })
            let v = try await app.ledger.verify(on: app.db)
            #expect(v.problems.isEmpty, "\(v.problems.prefix(3))")
            let financing = try await CertificateModel.query(on: app.db).filter(\.$kind == .financing).count()
            #expect(v.balances == financing)
            // The named parent sees a ПФ certificate with its grant and statement.
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            let varvara = try await ChildModel.query(on: app.db).filter(\.$name == "Варвара").first()!
            let page = try await parent.get(SiteRoute.familyChild(varvara.id!).url).text
            #expect(page.contains("ПФ (персонифицированного финансирования)"))
            #expect(page.contains("Начисление номинала"))
            #expect(page.contains("12\u{202F}000,00\u{00A0}₽"))
            // New certificates continue the numbering after the demo's.
            let polina = try await ChildModel.query(on: app.db).filter(\.$name == "Полина").first()!
            let cert = try await CertificateModel.query(on: app.db).filter(\.$childID == polina.id!).first()!
            #expect(cert.status == .pending)
            let staff = try await UserModel.query(on: app.db).filter(\.$email == "osinniki@kuzbass.example").first()!.principal!
            let confirmed = try await app.navigator.certificates.confirm(cert.id!, by: staff, on: app.db)
            #expect(confirmed.number.map { !numbers.contains($0) } == true)
        }
    }

    @Test func anInterruptedDemoResumesAndFinishesWithTheSameData() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let plan = DemoPlan(seed: 9, children: 50)
            var service = DemoService(db: app.db, app: app, clock: app.clock)
            service.familiesPerBatch = 5
            service.stopAfterBatches = 2
            await #expect(throws: DemoService.Interrupted.self) {
                try await service.load(plan, progress: DemoProgress(label: "t", enabled: false))
            }
            #expect(try await ChildModel.query(on: app.db).count() == 20 + DemoPlan.namedChildren.count)
            #expect(try await DemoService.loadedLogins(on: app.db).isEmpty)
            service.stopAfterBatches = nil
            #expect(try await service.load(plan, progress: DemoProgress(label: "t", enabled: false)) == .resumed)
            #expect(try await ChildModel.query(on: app.db).count() == 50 + DemoPlan.namedChildren.count)
            let expectedSnils = Set(plan.families(0..<plan.familyCount, today: LocalDate(year: 2026, month: 11, day: 22)!)
                .flatMap(\.children).map(\.snils))
            let stored = Set(try await ChildModel.query(on: app.db).all().map(\.snils))
            #expect(expectedSnils.isSubset(of: stored))
            // Running again changes nothing.
            #expect(try await service.load(plan, progress: DemoProgress(label: "t", enabled: false)) == .alreadyLoaded)
            #expect(try await ChildModel.query(on: app.db).count() == 50 + DemoPlan.namedChildren.count)
            // Other parameters on the same database are refused.
            await #expect(throws: DemoService.Refused.self) {
                try await service.load(DemoPlan(seed: 10, children: 50), progress: DemoProgress(label: "t", enabled: false))
            }
        }
    }

    @Test func demoRefusesADatabaseWithOtherData() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let m = try await MunicipalityModel.query(on: app.db).first()!
            let u = UserModel()
            u.email = "someone@example.ru"
            u.passwordHash = "x"
            u.surname = "Иванов"
            u.name = "Иван"
            u.patronymic = ""
            u.role = Role.operator_
            u.regionCode = m.regionCode
            u.mayConfirmCertificates = false
            u.isActive = true
            try await u.create(on: app.db)
            do {
                _ = try await DemoService(db: app.db, app: app, clock: app.clock)
                    .load(DemoPlan(), progress: DemoProgress(label: "t", enabled: false))
                Issue.record("demo loaded into a database with other data")
            } catch let e as DemoService.Refused {
                #expect(e.description.contains("уже содержит данные"))
            }
            #expect(try await UserModel.query(on: app.db).count() == 1)
        }
    }
}
