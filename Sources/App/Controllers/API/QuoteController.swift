import Domain
import Foundation
import Vapor

/// `POST /api/v1/quote`: the cost calculation of domain.md §6, public, no sign-in (Госуслуги asks the
/// region exactly this before it submits an application).
enum QuoteController {
    /// One month of a split (also in the enrollment API's answers).
    struct MonthDTO: Content {
        let month: String
        let certificate: Int64
        let parent: Int64

        init(_ p: MonthPart) {
            month = p.month
            certificate = p.certificate
            parent = p.parent
        }
    }

    struct QuoteDTO: Content {
        let full: Int64
        let normative: Int64
        let certificate: Int64
        let parent: Int64
        let months: [MonthDTO]

        init(_ q: ContractArithmetic.Quote) {
            full = q.full.kopecks
            normative = q.normative.kopecks
            certificate = q.certificate.kopecks
            parent = q.parent.kopecks
            months = MonthPart.from(q).map(MonthDTO.init)
        }
    }

    static func bad(_ field: String, _ message: String) -> AppError {
        AppError(status: .badRequest, code: "invalid_\(field)", reason: "\(field): \(message)",
                 fields: [FieldError(field: field, message: message)])
    }

    /// Parses the body field by field, so that every refusal names its field.
    static func parse(_ data: Data) throws -> ContractArithmetic.Input {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw AppError(status: .badRequest, code: "bad_request",
                           reason: "Тело запроса должно быть JSON-объектом с полями groupStart, groupEnd, price, normative, contractStart, contractEnd, balance.")
        }
        func date(_ key: String) throws -> LocalDate {
            guard let raw = object[key] else { throw bad(key, "поле обязательно (дата ГГГГ-ММ-ДД).") }
            guard let s = raw as? String, let d = LocalDate(iso: s) else { throw bad(key, "ожидается дата в формате ГГГГ-ММ-ДД.") }
            return d
        }
        func amount(_ key: String) throws -> Money {
            guard let raw = object[key] else { throw bad(key, "поле обязательно (сумма в копейках, целое число).") }
            guard !(raw is Bool), !(raw is String), let n = raw as? NSNumber else {
                throw bad(key, "ожидается целое число копеек.")
            }
            let d = n.doubleValue
            guard d.rounded() == d, abs(d) < 9e15, let v = Int64(exactly: d) else { throw bad(key, "ожидается целое число копеек.") }
            guard v >= 0 else { throw bad(key, "сумма не может быть отрицательной.") }
            return Money(kopecks: v)
        }
        return ContractArithmetic.Input(
            groupStart: try date("groupStart"), groupEnd: try date("groupEnd"),
            price: try amount("price"), normative: try amount("normative"),
            contractStart: try date("contractStart"), contractEnd: try date("contractEnd"),
            balance: try amount("balance"))
    }

    static func quote(req: Request) async throws -> QuoteDTO {
        guard let body = req.body.data else {
            throw AppError(status: .badRequest, code: "bad_request", reason: "Пустое тело запроса: ожидается JSON.")
        }
        let input = try parse(Data(body.readableBytesView))
        switch ContractArithmetic.quote(input) {
        case .success(let q):
            return QuoteDTO(q)
        case .failure(let e):
            let first = e.refusals[0]
            throw AppError(status: .badRequest, code: "invalid_\(first.field)",
                           reason: e.refusals.map { "\($0.field): \($0.message)" }.joined(separator: " "),
                           fields: e.refusals.map { FieldError(field: $0.field, message: $0.message) })
        }
    }
}
