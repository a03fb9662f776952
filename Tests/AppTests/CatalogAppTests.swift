@testable import App
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

func apiPost(_ app: Application, _ path: String, _ json: String, token: String?) async throws -> TestingHTTPResponse {
    var h = HTTPHeaders()
    h.contentType = .json
    if let token { h.bearerAuthorization = BearerAuthorization(token: token) }
    return try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(string: json))
}

/// A page as another provider (Робостарт) sees it.
func rivalGet(_ app: Application, _ path: String) async throws -> HTTPResponseStatus {
    let b = Browser(app)
    try await b.login("robostart@osinniki.example")
    return try await b.get(path).status
}

@Suite struct CatalogAppTests {
    struct Search: Decodable {
        struct Item: Decodable {
            let id: String
            let name: String
            let provider: String
            let direction: String
            let ageFrom: Int
            let ageTo: Int
            let municipality: String
            let funding: String
            let minPrice: Int64
            let freePlaces: Int
        }
        let total: Int
        let items: [Item]
        let facets: [String: [FacetValue]]
    }

    func search(_ app: Application, _ query: String) async throws -> Search {
        let res = try await app.testing().sendRequest(.GET, "/api/v1/catalog/search?" + query)
        #expect(res.status == .ok, "\(query): \(res.body.string)")
        return try JSONDecoder().decode(Search.self, from: res.body)
    }

    @Test func publicCatalogueSearchFiltersAndPages() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let all = try await search(app, "per=100")
            #expect(all.total >= 25)
            // Only certified programs of active providers: the draft and the program on certification are not there.
            #expect(!all.items.contains { $0.name == "Пилотирование квадрокоптеров" || $0.name == "Театральная студия «Маска»" })
            #expect(Set(all.items.map(\.direction)) == Set(Direction.allCases.map(\.rawValue)))
            #expect(try await search(app, "q=" + SiteRoute.encode("робототехникой")).items.first?.name.contains("обототехник") == true)
            let chess = try await search(app, "q=" + SiteRoute.encode("шахматный кружок"))
            #expect(chess.items.prefix(2).allSatisfy { $0.name.contains("Шахмат") })
            let typo = try await search(app, "q=" + SiteRoute.encode("хареография"))
            #expect(typo.items.first?.direction == "art", "\(typo.items.map(\.name))")
            #expect(typo.items.contains { $0.name.contains("Хореограф") }, "\(typo.items.map(\.name))")
            let free = try await search(app, "funding=free&municipality=42-33")
            #expect(free.total > 0 && free.items.allSatisfy { $0.funding == "free" && $0.municipality == "42-33" && $0.minPrice == 0 })
            let age = try await search(app, "age=5")
            #expect(age.items.allSatisfy { $0.ageFrom <= 5 && $0.ageTo >= 5 })
            let d = Dictionary(uniqueKeysWithValues: all.facets["direction"]!.map { ($0.value, $0.count) })
            #expect(d.values.reduce(0, +) == all.total)
            let page = try await search(app, "per=10&page=2&sort=price")
            #expect(page.items.count == 10 && page.items.map(\.minPrice) == page.items.map(\.minPrice).sorted())
            // Bad parameters: 400 naming the parameter, in Russian.
            for bad in ["age=4", "direction=magic", "municipality=42", "municipality=4a-33", "page=0", "per=1000", "day=8", "funding=x", "provider=zzz"] {
                let res = try await app.testing().sendRequest(.GET, "/api/v1/catalog/search?" + bad)
                #expect(res.status == .badRequest, "\(bad)")
                #expect(res.body.string.contains("\"error\":\"bad_parameter\""), "\(bad)")
            }
            // The page: no sign-in, filters with counts, a program page with schema.org Course.
            let browser = Browser(app)
            let html = try await browser.get("/catalog?q=" + SiteRoute.encode("шахматы") + "&free=1").text
            #expect(html.contains("Шахматы") && html.contains("Найдено:") && html.contains("<label for=\"f-direction\">"))
            #expect(try await browser.get("/catalog?age=100").status == .badRequest)
            let id = chess.items[0].id
            let program = try await browser.get("/catalog/programs/\(id)")
            #expect(program.status == .ok)
            #expect(program.text.contains("itemtype=\"https://schema.org/Course\"") && program.text.contains("hasCourseInstance"))
            #expect(program.text.contains("Сертификат оплачивает") || program.text.contains("Бесплатно") || program.text.contains("Оплачивают родители"))
            #expect(try await browser.get("/catalog/programs/\(UUID())").status == .notFound)
            let detail = try await app.testing().sendRequest(.GET, "/api/v1/catalog/programs/\(id)")
            #expect(detail.status == .ok && detail.body.string.contains("\"groups\":["))
            let providerID = try await ProgramModel.find(UUID(uuidString: id), on: app.db)!.providerID
            let providerPage = try await browser.get("/catalog/providers/\(providerID.uuidString.lowercased())")
            #expect(providerPage.status == .ok && providerPage.text.contains(chess.items[0].name))
        }
    }

    @Test func certificationRoundTripPriceCapAndRecertification() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let provider = try await apiToken(app, "robostart@osinniki.example")
            let create = try await apiPost(app, "/api/v1/programs", """
                {"name":"Мобильная робототехника","annotation":"Собираем и программируем мобильных роботов","direction":"tech",
                 "activityKinds":["robotics","programming"],"level":"basic","form":"full-time","distance":false,
                 "ageFromMonths":120,"ageToMonths":191,"disabilities":["hearing"],"funding":"certificate"}
                """, token: provider)
            #expect(create.status == .created, "\(create.body.string)")
            struct P: Decodable { let id: UUID; let status: String; let statusReason: String? }
            let program = try JSONDecoder().decode(P.self, from: create.body)
            #expect(program.status == "draft")
            // Bad input changes nothing and names the fields.
            let bad = try await apiPost(app, "/api/v1/programs", #"{"name":"","direction":"tech","activityKinds":["chess"],"ageFromMonths":-3,"funding":"x"}"#, token: provider)
            #expect(bad.status == .unprocessableEntity)
            // The fields are named as in the body (the form's ageFromYears is the API's ageFromMonths).
            for f in ["name", "activityKinds", "ageFromMonths", "funding"] { #expect(bad.body.string.contains("\"field\":\"\(f)\""), "\(f)") }
            #expect(!bad.body.string.contains("ageFromYears"))
            #expect(try await apiPost(app, "/api/v1/programs", "{not json", token: provider).status == .badRequest)
            #expect(try await ProgramModel.query(on: app.db).filter(\.$name == "").count() == 0)
            // Submitting without a module is refused.
            #expect(try await apiPost(app, "/api/v1/programs/\(program.id)/submit", "{}", token: provider).status == .unprocessableEntity)
            let module = try await apiPost(app, "/api/v1/programs/\(program.id)/modules",
                                           #"{"name":"Первый год","months":9,"hours":144,"minChildren":6,"maxChildren":12,"price":1800000}"#, token: provider)
            #expect(module.status == .created, "\(module.body.string)")
            struct M: Decodable { let id: UUID }
            let moduleID = try JSONDecoder().decode(M.self, from: module.body).id
            let group = try await apiPost(app, "/api/v1/programs/\(program.id)/groups", """
                {"moduleId":"\(moduleID)","name":"Группа 1","teacher":"Попов Д. А.","address":"г. Осинники, ул. Победы, 12",
                 "startsOn":"2026-09-01","endsOn":"2027-05-31","capacity":12,"schedule":[{"day":2,"start":"16:00","end":"17:30"}],"status":"open"}
                """, token: provider)
            #expect(group.status == .created, "\(group.body.string)")
            let overfull = try await apiPost(app, "/api/v1/programs/\(program.id)/groups", """
                {"moduleId":"\(moduleID)","name":"Группа 2","teacher":"П","address":"А","startsOn":"2026-09-01","endsOn":"2027-05-31",
                 "capacity":20,"schedule":[{"day":2,"start":"16:00","end":"17:30"}]}
                """, token: provider)
            #expect(overfull.status == .unprocessableEntity && overfull.body.string.contains("\"field\":\"capacity\""))
            #expect(try await apiPost(app, "/api/v1/programs/\(program.id)/submit", "{}", token: provider).status == .ok)
            #expect(try await search(app, "q=" + SiteRoute.encode("мобильных роботов")).items.allSatisfy { $0.id != program.id.uuidString.lowercased() })
            // The provider cannot certify itself; the municipality cannot either; the operator of another region gets 404.
            #expect(try await apiPost(app, "/api/v1/programs/\(program.id)/certify", #"{"normatives":[1800000]}"#, token: provider).status == .forbidden)
            let muni = try await apiToken(app, "osinniki@kuzbass.example")
            #expect(try await apiPost(app, "/api/v1/programs/\(program.id)/certify", #"{"normatives":[1800000]}"#, token: muni).status == .forbidden)
            let altai = try await apiToken(app, "operator@altai.example")
            #expect(try await apiPost(app, "/api/v1/programs/\(program.id)/certify", #"{"normatives":[1800000]}"#, token: altai).status == .notFound)
            // A normative under which the price exceeds the cap (100 %) is refused, naming the module.
            let op = try await apiToken(app, "operator@kuzbass.example")
            let capped = try await apiPost(app, "/api/v1/programs/\(program.id)/certify", #"{"normatives":[1638000]}"#, token: op)
            #expect(capped.status == .unprocessableEntity && capped.body.string.contains("\"field\":\"normatives[0]\"") && capped.body.string.contains("выше предельной"))
            // The operator raises the cap to 110 %: 16 380 ₽ × 1.1 = 18 018 ₽ ≥ 18 000 ₽.
            #expect(try await apiPost(app, "/api/v1/operator/price-cap", #"{"percent":400}"#, token: op).status == .unprocessableEntity)
            #expect(try await apiPost(app, "/api/v1/operator/price-cap", #"{"percent":110}"#, token: op).status == .ok)
            let certified = try await apiPost(app, "/api/v1/programs/\(program.id)/certify", #"{"normatives":[1638000]}"#, token: op)
            #expect(certified.status == .ok, "\(certified.body.string)")
            #expect(try await ModuleModel.find(moduleID, on: app.db)?.normative == 1_638_000)
            let found = try await search(app, "q=" + SiteRoute.encode("мобильные роботы"))
            #expect(found.items.first?.id == program.id.uuidString.lowercased())
            #expect(found.items.first?.freePlaces == 12)
            // A price above the cap is refused when the provider edits the module.
            let tooHigh = try await apiPost(app, "/api/v1/modules/\(moduleID)",
                                            #"{"name":"Первый год","months":9,"hours":144,"minChildren":6,"maxChildren":12,"price":1900000}"#, token: provider)
            #expect(tooHigh.status == .unprocessableEntity && tooHigh.body.string.contains("\"field\":\"price\""))
            #expect(try await ModuleModel.find(moduleID, on: app.db)?.price == 1_800_000)
            // A money-relevant edit within the cap sends the program back to certification and out of the catalogue.
            let cheaper = try await apiPost(app, "/api/v1/modules/\(moduleID)",
                                            #"{"name":"Первый год","months":9,"hours":144,"minChildren":6,"maxChildren":12,"price":1700000}"#, token: provider)
            #expect(cheaper.status == .ok)
            let after = try await ProgramModel.find(program.id, on: app.db)!
            #expect(after.status == .certification && after.statusReason?.contains("снова на сертификации") == true)
            #expect(try await search(app, "q=" + SiteRoute.encode("мобильные роботы")).items.first?.id != program.id.uuidString.lowercased())
            // A text edit of a certified program keeps it certified.
            #expect(try await apiPost(app, "/api/v1/programs/\(program.id)/certify", #"{"normatives":[1638000]}"#, token: op).status == .ok)
            // Refusal with a reason, from the certification queue.
            let other = try await ProgramModel.query(on: app.db).filter(\.$name == "Театральная студия «Маска»").first()!
            #expect(try await apiPost(app, "/api/v1/programs/\(other.id!)/refuse", #"{"reason":""}"#, token: op).status == .unprocessableEntity)
            #expect(try await apiPost(app, "/api/v1/programs/\(other.id!)/refuse", #"{"reason":"Нет учебного плана"}"#, token: op).status == .ok)
            #expect(try await ProgramModel.find(other.id, on: app.db)?.statusReason == "Нет учебного плана")
        }
    }

    @Test func providerPagesAndScopes() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let provider = Browser(app)
            try await provider.login("akvarel@osinniki.example")
            #expect(try await provider.get("/provider/programs").text.contains("Рисование акварелью"))
            let bad = try await provider.post("/provider/programs", ["name": "", "direction": "art", "activityKinds[]": "painting"])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Укажите название программы"))
            let ok = try await provider.post("/provider/programs", [
                "name": "Скетчинг", "annotation": "Быстрые зарисовки маркерами", "direction": "art", "activityKinds[]": "painting",
                "level": "start", "form": "full-time", "ageFromYears": "10", "ageFromMonths": "0", "ageToYears": "16", "ageToMonths": "11",
                "funding": "paid",
            ])
            #expect(ok.status == .seeOther)
            let program = try await ProgramModel.query(on: app.db).filter(\.$name == "Скетчинг").first()!
            #expect(program.status == .draft && program.kindCodes == ["painting"])
            let page = try await provider.get(SiteRoute.providerProgram(program.id!).url)
            #expect(page.status == .ok && page.text.contains("Новый модуль") && page.text.contains("черновик"))
            let module = try await provider.post(SiteRoute.providerProgramModules(program.id!).url, [
                "name": "Основной", "months": "4", "hours": "32", "minChildren": "4", "maxChildren": "8", "price": "12 000"])
            #expect(module.status == .seeOther)
            #expect(try await ModuleModel.query(on: app.db).filter(\.$programID == program.id!).first()?.price == 1_200_000)
            let group = try await provider.post(SiteRoute.providerProgramGroups(program.id!).url, [
                "module": try await ModuleModel.query(on: app.db).filter(\.$programID == program.id!).first()!.id!.uuidString,
                "name": "Суббота", "teacher": "Соколова А. В.", "address": "г. Осинники, ул. Советская, 5", "startsOn": "2026-12-05",
                "endsOn": "2027-03-27", "capacity": "9", "schedule": "сб 12:00-14:00", "status": "open"])
            #expect(group.status == .unprocessableEntity && group.text.contains("Число мест"))
            let moduleID = try await ModuleModel.query(on: app.db).filter(\.$programID == program.id!).first()!.id!
            #expect(try await provider.get(SiteRoute.providerModule(moduleID).url).text.contains("Нормативная стоимость"))
            #expect(try await provider.post(SiteRoute.providerModule(moduleID).url, ["name": "Основной", "months": "4", "hours": "32",
                                                                                  "minChildren": "4", "maxChildren": "8", "price": "-1"]).status == .unprocessableEntity)
            let okGroup = try await provider.post(SiteRoute.providerProgramGroups(program.id!).url, [
                "module": moduleID.uuidString, "name": "Суббота", "teacher": "Соколова А. В.", "address": "г. Осинники, ул. Советская, 5",
                "startsOn": "2026-12-05", "endsOn": "2027-03-27", "capacity": "8", "schedule": "сб 12:00-14:00", "status": "open"])
            #expect(okGroup.status == .seeOther)
            let groupID = try await GroupModel.query(on: app.db).filter(\.$programID == program.id!).first()!.id!
            #expect(try await provider.get(SiteRoute.providerGroup(groupID).url).text.contains("Занято мест"))
            #expect(try await rivalGet(app, SiteRoute.providerGroup(groupID).url) == .notFound)
            #expect(try await provider.post(SiteRoute.providerProgramSubmit(program.id!).url, [:]).status == .seeOther)
            #expect(try await ProgramModel.find(program.id, on: app.db)?.status == .certification)
            // Another provider sees 404 on every program page and action of this one; a parent gets 403.
            let rival = Browser(app)
            try await rival.login("robostart@osinniki.example")
            #expect(try await rival.get(SiteRoute.providerProgram(program.id!).url).status == .notFound)
            #expect(try await rival.post(SiteRoute.providerProgram(program.id!).url, ["name": "Взлом"]).status == .notFound)
            #expect(try await rival.post(SiteRoute.providerProgramArchive(program.id!).url, [:]).status == .notFound)
            let rivalToken = try await apiToken(app, "robostart@osinniki.example")
            #expect(try await apiGet(app, "/api/v1/programs/\(program.id!)", token: rivalToken).status == .notFound)
            #expect(try await apiPost(app, "/api/v1/programs/\(program.id!)/archive", "{}", token: rivalToken).status == .notFound)
            let parent = Browser(app)
            try await parent.login("parent@osinniki.example")
            #expect(try await parent.get("/provider/programs").status == .forbidden)
            #expect(try await parent.get("/registry/programs").status == .forbidden)
            // The municipality reads its territory's programs; Новокузнецк does not see Осинники's.
            let muni = Browser(app)
            try await muni.login("osinniki@kuzbass.example")
            #expect(try await muni.get(SiteRoute.registryProgram(program.id!).url).status == .ok)
            #expect(try await muni.post(SiteRoute.registryProgramCertify(program.id!).url, [:]).status == .forbidden)
            let nk = Browser(app)
            try await nk.login("novokuznetsk@kuzbass.example")
            #expect(try await nk.get(SiteRoute.registryProgram(program.id!).url).status == .notFound)
            let nkToken = try await apiToken(app, "novokuznetsk@kuzbass.example")
            struct Row: Decodable { let id: UUID }
            let visible = try JSONDecoder().decode([Row].self, from: try await apiGet(app, "/api/v1/programs", token: nkToken).body)
            #expect(!visible.contains { $0.id == program.id! } && !visible.isEmpty)
            // The operator's queue and certification page.
            let op = Browser(app)
            try await op.login("operator@kuzbass.example")
            #expect(try await op.get("/registry/programs?status=certification").text.contains("Скетчинг"))
            #expect(try await op.post(SiteRoute.registryProgramCertify(program.id!).url, [:]).status == .seeOther)  // a paid program needs no normative
            #expect(try await ProgramModel.find(program.id, on: app.db)?.status == .certified)
            #expect(try await op.post("/operator/settings", ["priceCapPercent": "20"]).status == .unprocessableEntity)
            // The municipality names an issuing point through the API; another municipality cannot.
            let muniToken = try await apiToken(app, "osinniki@kuzbass.example")
            let issuing = try await apiPost(app, "/api/v1/providers/\(program.providerID)/issuing-point", #"{"value":true}"#, token: muniToken)
            #expect(issuing.status == .ok && issuing.body.string.contains("\"isIssuingPoint\":true"))
            #expect(try await apiPost(app, "/api/v1/providers/\(program.providerID)/issuing-point", "{}", token: muniToken).status == .badRequest)
            #expect(try await apiPost(app, "/api/v1/providers/\(program.providerID)/issuing-point", #"{"value":false}"#, token: nkToken).status == .notFound)
            // Banning the provider takes its programs out of the catalogue.
            let before = try await search(app, "q=" + SiteRoute.encode("скетчинг"))
            #expect(before.items.first?.name == "Скетчинг")
            let akvarel = try await ProviderModel.find(program.providerID, on: app.db)!
            #expect(try await op.post(SiteRoute.registryModerate(akvarel.id!).url, ["decision": "ban", "reason": "Лицензия отозвана"]).status == .seeOther)
            #expect(try await search(app, "q=" + SiteRoute.encode("скетчинг")).total == 0)
            #expect(try await Browser(app).get("/catalog/providers/\(akvarel.id!.uuidString.lowercased())").status == .notFound)
        }
    }

    @Test func openDataExportListsPublishedAndWithdrawnPrograms() async throws {
        try await withNavigator(demoChildren: 0) { app in
            let csv = try await app.testing().sendRequest(.GET, "/api/v1/catalog/export.csv")
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(lines.first == Substring(CatalogAPIController.csvColumns.joined(separator: ",")))
            let jsonl = try await app.testing().sendRequest(.GET, "/api/v1/catalog/export.jsonl")
            let records = try jsonl.body.string.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            let published = try await search(app, "per=1").total
            #expect(records.count == published)
            // The export carries everything the catalogue shows: read back, it gives the same catalogue.
            let reread = try CatalogImport.programs(jsonl: Data(jsonl.body.string.utf8))
            let live = try await app.catalogStore.current(app).programs
            #expect(Set(reread.map(\.id)) == Set(live.map(\.id)))
            for p in live {
                let r = reread.first { $0.id == p.id }!
                #expect(r.name == p.name && r.groups == p.groups && r.modules == p.modules && r.ageFrom == p.ageFrom && r.funding == p.funding)
            }
            #expect(records.allSatisfy { $0["deleted"] as? Bool == false && $0["updatedAt"] is String && ($0["groups"] as? [Any]) != nil })
            // Archive one: it stays in the export as deleted.
            let victim = records[0]["id"] as! String
            let op = try await apiToken(app, "operator@kuzbass.example")
            let altai = try await apiToken(app, "operator@altai.example")
            let archived = try await apiPost(app, "/api/v1/programs/\(victim)/archive", "{}", token: op)
            let archivedAltai = archived.status == .ok ? archived : try await apiPost(app, "/api/v1/programs/\(victim)/archive", "{}", token: altai)
            #expect(archivedAltai.status == .ok)
            let again = try await app.testing().sendRequest(.GET, "/api/v1/catalog/export.jsonl").body.string
            let deleted = again.split(separator: "\n").filter { $0.contains("\"id\":\"\(victim)\"") }
            #expect(deleted.count == 1 && deleted[0].contains("\"deleted\":true"))
            let csv2 = try await app.testing().sendRequest(.GET, "/api/v1/catalog/export.csv").body.string
            #expect(csv2.split(separator: "\r\n").contains { $0.hasPrefix(victim) && $0.hasSuffix(",true") })
        }
    }

    @Test func anotherInstancesChangeReachesThisCatalogue() async throws {
        let clock = TestClock()
        try await withNavigator(demoChildren: 0, clock: clock) { app in
            let before = try await search(app, "q=" + SiteRoute.encode("гончарное"))
            #expect(before.total == 0)
            // Another instance renames a published program: it commits the change with the counter, not through this store.
            let program = try await ProgramModel.query(on: app.db).filter(\.$status == .certified).first()!
            try await app.db.transaction { tx in
                let seq = try await CatalogStore.bump(tx)
                program.name = "Гончарное мастерство"
                program.changeSeq = seq
                try await program.save(on: tx)
            }
            // Within the poll interval this instance still answers from its copy; after it, the change is there.
            #expect(try await search(app, "q=" + SiteRoute.encode("гончарное")).total == 0)
            clock.advance(2)
            #expect(try await search(app, "q=" + SiteRoute.encode("гончарным")).items.first?.name == "Гончарное мастерство")
        }
    }

    @Test func openAPIDescribesEveryRoute() async throws {
        try await withNavigator(demoChildren: nil) { app in
            let res = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            #expect(res.status == .ok)
            let doc = try JSONSerialization.jsonObject(with: Data(res.body.string.utf8)) as! [String: Any]
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = doc["paths"] as! [String: [String: Any]]
            var documented = Set<String>()
            for (path, ops) in paths { for method in ops.keys { documented.insert(method.uppercased() + " " + path) } }
            var routed = Set<String>()
            for route in app.routes.all {
                let path = "/" + route.path.map { c -> String in
                    if case .parameter(let name) = c { return "{\(name)}" }
                    return c.description
                }.joined(separator: "/")
                if path.hasPrefix("/api/v1/") { routed.insert(route.method.rawValue + " " + path) }
            }
            #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi.json: \(routed.subtracting(documented).sorted())")
            #expect(documented.subtracting(routed).isEmpty, "documented without a route: \(documented.subtracting(routed).sorted())")

            // No schema is a bare object: every object names its properties (or, for a map, the schema of its values).
            var bare: [String] = []
            func walk(_ node: Any, _ at: String) {
                if let dict = node as? [String: Any] {
                    let type = dict["type"]
                    let isObject = (type as? String) == "object" || ((type as? [Any])?.contains { ($0 as? String) == "object" } ?? false)
                    if isObject, dict["properties"] == nil, !(dict["additionalProperties"] is [String: Any]), dict["patternProperties"] == nil {
                        bare.append(at)
                    }
                    for (k, v) in dict { walk(v, at + "/" + k) }
                } else if let list = node as? [Any] {
                    for (i, v) in list.enumerated() { walk(v, at + "/\(i)") }
                }
            }
            walk(doc, "#")
            #expect(bare.isEmpty, "bare object schemas: \(bare.sorted())")

            // Every operation: an id, its path parameters declared (and only those), an answer with a schema for every
            // status but 204, and the shared Error for every error status.
            var ids = Set<String>()
            for (path, ops) in paths {
                let names = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
                for (method, raw) in ops {
                    let op = raw as! [String: Any]
                    let label = method.uppercased() + " " + path
                    let id = op["operationId"] as? String ?? ""
                    #expect(!id.isEmpty && ids.insert(id).inserted, "\(label): operationId missing or repeated")
                    let params = op["parameters"] as? [[String: Any]] ?? []
                    let declared = params.filter { $0["in"] as? String == "path" }
                    #expect(Set(declared.compactMap { $0["name"] as? String }) == names, "\(label): path parameters \(names.sorted()) not declared")
                    #expect(declared.allSatisfy { $0["required"] as? Bool == true && $0["schema"] != nil }, "\(label): a path parameter is optional or has no schema")
                    let responses = op["responses"] as? [String: [String: Any]] ?? [:]
                    #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(label): no success answer")
                    for (status, response) in responses {
                        let content = response["content"] as? [String: [String: Any]]
                        if status == "204" {
                            #expect(content == nil, "\(label) \(status): content on 204")
                            continue
                        }
                        #expect(content?.values.allSatisfy { $0["schema"] != nil } == true, "\(label) \(status): no schema")
                        if status.hasPrefix("4") {
                            let schema = content?["application/json"]?["schema"] as? [String: Any]
                            #expect(schema?["$ref"] as? String == "#/components/schemas/Error", "\(label) \(status): not the Error schema")
                        }
                    }
                    if op["security"] != nil { #expect(responses["401"] != nil, "\(label): signed in, but no 401") }
                    if op["requestBody"] != nil, method != "get" { #expect(responses["400"] != nil, "\(label): a body, but no 400") }
                }
            }

            // The closed sets of the document are Domain's.
            let components = (doc["components"] as! [String: Any])["schemas"] as! [String: Any]
            func enumOf(_ schema: String, _ property: String, items: Bool = false) -> [String] {
                var p = ((components[schema] as! [String: Any])["properties"] as! [String: Any])[property] as! [String: Any]
                if items { p = p["items"] as! [String: Any] }
                return p["enum"] as? [String] ?? []
            }
            #expect(enumOf("Program", "status") == ProgramStatus.allCases.map(\.rawValue))
            #expect(enumOf("Program", "direction") == Direction.allCases.map(\.rawValue))
            #expect(enumOf("Program", "level") == ProgramLevel.allCases.map(\.rawValue))
            #expect(enumOf("Program", "form") == StudyForm.allCases.map(\.rawValue))
            #expect(enumOf("Program", "funding") == FundingKind.allCases.map(\.rawValue))
            #expect(enumOf("Program", "disabilities", items: true) == DisabilityCategory.allCases.map(\.rawValue))
            #expect(enumOf("Program", "activityKinds", items: true) == ActivityKinds.all.map(\.code))
            #expect(enumOf("ActivityKind", "code") == ActivityKinds.all.map(\.code))
            #expect(enumOf("StudyGroup", "status") == GroupStatus.allCases.map(\.rawValue))
            #expect(enumOf("Provider", "kind") == ProviderKind.allCases.map(\.rawValue))
            #expect(enumOf("Provider", "ownership") == Ownership.allCases.map(\.rawValue))
            #expect(enumOf("Me", "role") == Role.allCases.map(\.rawValue))
            #expect(enumOf("Application", "status") == ContractStatus.allCases.map(\.rawValue))
            #expect(enumOf("Application", "prolongation") == ProlongationMark.allCases.map(\.rawValue))
            #expect(enumOf("Certificate", "status") == CertificateStatus.allCases.map(\.rawValue))
            #expect(enumOf("Certificate", "kind") == CertificateKind.allCases.map(\.rawValue))
            #expect(enumOf("Provider", "status") == ProviderStatus.allCases.map(\.rawValue))
            #expect(enumOf("WaitlistEntry", "status") == WaitlistStatus.allCases.map(\.rawValue))
            #expect(enumOf("Agreement", "status") == AgreementStatus.allCases.map(\.rawValue))
            #expect(enumOf("Period", "status") == PeriodStatus.allCases.map(\.rawValue))
            #expect(enumOf("Token", "role") == Role.allCases.map(\.rawValue))
            #expect(enumOf("Region", "code") == ReferenceData.regions.map(\.code))
            #expect(enumOf("Municipality", "kind") == MunicipalityKind.allCases.map(\.rawValue))
            #expect(enumOf("Child", "sex").sorted() == DemoPlan.Sex.allCases.map(\.rawValue).sorted())
        }
    }
}
