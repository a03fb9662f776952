import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

enum CatalogAPIController {
    enum iso {
        static func string(from d: Date) -> String { d.formatted(.iso8601) }
    }

    static func json(_ body: String, status: HTTPResponseStatus = .ok, cache: Bool = false) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if cache { headers.add(name: .cacheControl, value: "public, max-age=30") }
        return Response(status: status, headers: headers, body: .init(string: body))
    }

    static func json(buffer: ByteBuffer) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: buffer))
    }

    static func summary(_ w: inout JSONWriter, _ p: CatalogProgram) {
        w.raw("{")
        w.field("id", p.id)
        w.field("name", p.name)
        w.field("provider", p.providerName)
        w.field("providerId", p.providerID)
        w.field("direction", p.direction.rawValue)
        w.strings("activityKinds", p.activityKinds)
        w.field("level", p.level.rawValue)
        w.field("ageFrom", p.ageFrom / 12)
        w.field("ageTo", p.ageTo / 12)
        w.field("ageFromMonths", p.ageFrom)
        w.field("ageToMonths", p.ageTo)
        w.field("municipality", p.municipality)
        w.field("municipalityName", p.municipalityName)
        w.field("funding", p.funding.rawValue)
        w.field("minPrice", p.minPrice)
        w.field("freePlaces", p.freePlaces)
        w.field("ovz", !p.disabilities.isEmpty)
        w.field("url", SiteRoute.catalogProgram(UUID(uuidString: p.id)!).url)
        w.close("}")
    }

    static func search(req: Request) async throws -> Response {
        let today = CatalogController.today(req)
        let q: CatalogQuery
        switch CatalogParams.parse(req, today: today, strict: true) {
        case .success(let v): q = v
        case .failure(let e): throw AppError(status: .badRequest, code: "bad_parameter", reason: e.message, fields: [e])
        }
        let cache = req.application.searchCache
        if cache.capacity > 0, let body = cache.get(q, seq: try await req.application.catalogStore.version(req.application)) {
            return json(buffer: body)
        }
        let (catalog, seq) = try await req.application.catalogStore.versioned(req.application)
        let r = catalog.search(q)
        var w = JSONWriter(capacity: 2048 + r.items.count * 600)
        w.raw("{")
        w.field("total", r.total)
        w.field("page", q.page)
        w.field("per", min(max(q.per, 1), CatalogQuery.maxPer))
        w.key("items")
        w.raw("[")
        for p in r.items {
            summary(&w, p)
            w.raw(",")
        }
        w.close("]")
        w.raw(",")
        w.key("facets")
        w.raw("{")
        for key in r.facets.keys.sorted() {
            w.key(dynamic: key)
            w.raw("[")
            for v in r.facets[key]! where v.count > 0 {
                w.raw("{")
                w.field("value", v.value)
                w.field("label", v.label)
                w.field("count", v.count)
                w.close("}")
                w.raw(",")
            }
            w.close("]")
            w.raw(",")
        }
        w.close("}")
        w.close("}")
        let body = w.buffer
        cache.put(q, body, seq: seq)
        return json(buffer: body)
    }

    static func full(_ w: inout JSONWriter, _ p: CatalogProgram, deleted: Bool = false) {
        w.raw("{")
        w.field("id", p.id)
        w.field("name", p.name)
        w.field("annotation", p.annotation)
        w.key("provider")
        w.raw("{")
        w.field("id", p.providerID)
        w.field("name", p.providerName)
        w.close("}")
        w.raw(",")
        w.field("region", p.regionCode)
        w.field("municipality", p.municipality)
        w.field("municipalityName", p.municipalityName)
        w.field("direction", p.direction.rawValue)
        w.field("directionTitle", p.direction.title)
        w.strings("activityKinds", p.activityKinds)
        w.strings("activityKindTitles", p.activityKinds.compactMap { ActivityKinds.find($0)?.title })
        w.field("level", p.level.rawValue)
        w.field("form", p.form.rawValue)
        w.field("ageFromMonths", p.ageFrom)
        w.field("ageToMonths", p.ageTo)
        w.field("funding", p.funding.rawValue)
        w.strings("disabilities", p.disabilities.map(\.rawValue))
        w.field("minPrice", p.minPrice)
        w.field("freePlaces", p.freePlaces)
        w.key("modules")
        w.raw("[")
        for m in p.modules {
            w.raw("{")
            w.field("id", m.id)
            w.field("name", m.name)
            w.field("months", m.months)
            w.field("hours", m.hours)
            w.field("price", m.price)
            w.field("normative", m.normative)
            w.close("}")
            w.raw(",")
        }
        w.close("]")
        w.raw(",")
        w.key("groups")
        w.raw("[")
        for g in p.groups {
            w.raw("{")
            w.field("id", g.id)
            w.field("moduleId", g.moduleID)
            w.field("name", g.name)
            w.field("teacher", g.teacher)
            w.field("address", g.address)
            w.field("latitude", g.latitude)
            w.field("longitude", g.longitude)
            w.field("startsOn", g.startsOn.iso)
            w.field("endsOn", g.endsOn.iso)
            w.field("capacity", g.capacity)
            w.field("freePlaces", g.freePlaces)
            w.field("open", g.open)
            w.key("schedule")
            w.raw("[")
            for s in g.schedule {
                w.raw("{")
                w.field("day", s.day)
                w.field("start", ScheduleSlot.time(s.start))
                w.field("end", ScheduleSlot.time(s.end))
                w.close("}")
                w.raw(",")
            }
            w.close("]")
            w.close("}")
            w.raw(",")
        }
        w.close("]")
        w.raw(",")
        w.field("updatedAt", iso.string(from: p.updatedAt))
        w.field("deleted", deleted)
        w.close("}")
    }

    static func program(req: Request) async throws -> Response {
        let id = try CertificateAPIController.id(req)
        let catalog = try await req.application.catalogStore.current(req.application)
        guard let p = catalog.program(id.uuidString.lowercased()) else {
            throw AppError(status: .notFound, code: "not_found", reason: "Программа не найдена в каталоге.")
        }
        var w = JSONWriter()
        full(&w, p)
        return json(buffer: w.buffer)
    }

    static func provider(req: Request) async throws -> Response {
        let id = try CertificateAPIController.id(req)
        guard let provider = try await ProviderModel.find(id, on: req.db), provider.status == .active else {
            throw AppError(status: .notFound, code: "not_found", reason: "Поставщик не найден в каталоге.")
        }
        let catalog = try await req.application.catalogStore.current(req.application)
        var q = CatalogQuery(today: CatalogController.today(req))
        q.provider = id.uuidString.lowercased()
        q.per = CatalogQuery.maxPer
        let muni = try await req.directory.municipality(provider.municipalityID)
        var w = JSONWriter()
        w.raw("{")
        w.field("id", id.uuidString.lowercased())
        w.field("name", provider.shortName)
        w.field("fullName", provider.fullName)
        w.field("kind", provider.kind)
        w.field("ownership", provider.ownership)
        w.field("inn", provider.inn)
        w.field("address", provider.actualAddress)
        w.field("phone", provider.phone)
        w.field("email", provider.email)
        w.field("website", provider.website)
        w.field("municipality", muni.map { $0.regionCode + "-" + $0.code })
        w.key("programs")
        w.raw("[")
        for p in catalog.search(q).items {
            summary(&w, p)
            w.raw(",")
        }
        w.close("]")
        w.close("}")
        return json(buffer: w.buffer)
    }

    // MARK: open data

    struct Withdrawn: Decodable {
        let id: UUID
        let name: String
        let provider_id: UUID
        let updated_at: Date?
    }

    /// Programs that were published once and are not now (archived, re-certifying, provider banned): the
    /// export lists them with `deleted: true`, so a portal that imported them can take them down.
    static func withdrawn(_ req: Request, catalog: Catalog) async throws -> [Withdrawn] {
        try await req.db.sql.raw("SELECT id, name, provider_id, updated_at FROM programs WHERE was_published = \(bind: true) ORDER BY id")
            .all(decoding: Withdrawn.self).filter { catalog.program($0.id.uuidString.lowercased()) == nil }
    }

    static func exportJSONL(req: Request) async throws -> Response {
        let catalog = try await req.application.catalogStore.current(req.application)
        var w = JSONWriter(capacity: catalog.count * 1200)
        for p in catalog.programs.sorted(by: { $0.id < $1.id }) {
            full(&w, p)
            w.raw("\n")
        }
        for d in try await withdrawn(req, catalog: catalog) {
            w.raw("{")
            w.field("id", d.id.uuidString.lowercased())
            w.field("name", d.name)
            w.key("provider")
            w.raw("{")
            w.field("id", d.provider_id.uuidString.lowercased())
            w.close("}")
            w.raw(",")
            w.field("updatedAt", iso.string(from: d.updated_at ?? Date(timeIntervalSince1970: 0)))
            w.field("deleted", true)
            w.close("}")
            w.raw("\n")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/x-ndjson; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"catalog.jsonl\"")
        return Response(status: .ok, headers: headers, body: .init(buffer: w.buffer))
    }

    static let csvColumns = ["program_id", "program_name", "provider_id", "provider_name", "region", "municipality", "municipality_name",
                             "direction", "activity_kinds", "level", "form", "age_from_months", "age_to_months", "funding", "ovz",
                             "min_price_kopecks", "annotation", "group_id", "group_name", "module_name", "module_price_kopecks",
                             "module_normative_kopecks", "teacher", "address", "latitude", "longitude", "starts_on", "ends_on",
                             "schedule", "capacity", "free_places", "updated_at", "deleted"]

    /// RFC 4180 field: quoted when it holds a separator, a quote or a line break; a leading =+-@ is
    /// prefixed with an apostrophe so that a spreadsheet does not run it as a formula.
    static func csv(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@".contains(f), Double(v) == nil { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    static func exportCSV(req: Request) async throws -> Response {
        let catalog = try await req.application.catalogStore.current(req.application)
        var out = csvColumns.joined(separator: ",") + "\r\n"
        for p in catalog.programs.sorted(by: { $0.id < $1.id }) {
            let base = [p.id, p.name, p.providerID, p.providerName, p.regionCode, p.municipality, p.municipalityName, p.direction.rawValue,
                        p.activityKinds.joined(separator: ";"), p.level.rawValue, p.form.rawValue, String(p.ageFrom), String(p.ageTo),
                        p.funding.rawValue, p.disabilities.map(\.rawValue).joined(separator: ";"), String(p.minPrice), p.annotation]
            let tail = [iso.string(from: p.updatedAt), "false"]
            let modules = Dictionary(uniqueKeysWithValues: p.modules.map { ($0.id, $0) })
            if p.groups.isEmpty {
                out += (base + Array(repeating: "", count: 14) + tail).map(csv).joined(separator: ",") + "\r\n"
            }
            for g in p.groups {
                let m = modules[g.moduleID]
                let price: String = m.map { String($0.price) } ?? ""
                let normative: String = m?.normative.map { String($0) } ?? ""
                let lat: String = g.latitude.map { String($0) } ?? ""
                let lon: String = g.longitude.map { String($0) } ?? ""
                let schedule: String = g.schedule.map { "\($0.day) \(ScheduleSlot.time($0.start))-\(ScheduleSlot.time($0.end))" }
                    .joined(separator: ";")
                var row: [String] = [g.id, g.name, m?.name ?? "", price, normative, g.teacher, g.address]
                row += [lat, lon, g.startsOn.iso, g.endsOn.iso, schedule, String(g.capacity), String(g.freePlaces)]
                out += (base + row + tail).map(csv).joined(separator: ",") + "\r\n"
            }
        }
        for d in try await withdrawn(req, catalog: catalog) {
            var row = Array(repeating: "", count: csvColumns.count)
            row[0] = d.id.uuidString.lowercased()
            row[1] = d.name
            row[2] = d.provider_id.uuidString.lowercased()
            row[csvColumns.count - 2] = iso.string(from: d.updated_at ?? Date(timeIntervalSince1970: 0))
            row[csvColumns.count - 1] = "true"
            out += row.map(csv).joined(separator: ",") + "\r\n"
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"catalog.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: out))
    }

    // MARK: the API description

    static func openAPI(req: Request) async throws -> Response {
        let path = req.application.directory.resourcesDirectory + "openapi.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AppError(status: .internalServerError, code: "openapi_missing", reason: "Описание API не найдено.")
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
