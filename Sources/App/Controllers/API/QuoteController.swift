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
        JSONInput.refusal(field, message)
    }

    /// The body as it came: each field a `JSONScalar` (absent → `nil`, `null` → `.null`), so that every
    /// check below names its field. Decoding fails only when the body is not a JSON object.
    struct Body: Decodable {
        enum CodingKeys: String, CodingKey {
            case groupStart, groupEnd, price, normative, contractStart, contractEnd, balance
        }

        let groupStart, groupEnd, contractStart, contractEnd: JSONScalar?
        /// Kopecks: whole JSON numbers only (`KopecksInput`).
        let price, normative, balance: JSONScalar?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            groupStart = try c.scalar(.groupStart)
            groupEnd = try c.scalar(.groupEnd)
            price = try c.scalar(.price)
            normative = try c.scalar(.normative)
            contractStart = try c.scalar(.contractStart)
            contractEnd = try c.scalar(.contractEnd)
            balance = try c.scalar(.balance)
        }

        /// A date «ГГГГ-ММ-ДД».
        static func date(_ key: CodingKeys, _ raw: JSONScalar?) throws -> LocalDate {
            guard let raw else { throw bad(key.rawValue, "поле обязательно (дата ГГГГ-ММ-ДД).") }
            guard case .string(let s) = raw, let d = LocalDate(iso: s) else { throw bad(key.rawValue, "ожидается дата в формате ГГГГ-ММ-ДД.") }
            return d
        }

        /// A whole number of kopecks in 0…`ContractArithmetic.maxAmount` (`1800000.0` counts as `1800000`).
        static func amount(_ key: CodingKeys, _ raw: JSONScalar?) throws -> Money {
            guard let raw else { throw bad(key.rawValue, "поле обязательно (сумма в копейках, целое число).") }
            switch raw.kopecks(max: ContractArithmetic.maxAmount) {
            case .success(let m): return m
            case .failure(let r): throw bad(key.rawValue, r.message)
            }
        }

        /// The input, checked field by field in the order of the fields.
        func input() throws -> ContractArithmetic.Input {
            ContractArithmetic.Input(
                groupStart: try Self.date(.groupStart, groupStart), groupEnd: try Self.date(.groupEnd, groupEnd),
                price: try Self.amount(.price, price), normative: try Self.amount(.normative, normative),
                contractStart: try Self.date(.contractStart, contractStart), contractEnd: try Self.date(.contractEnd, contractEnd),
                balance: try Self.amount(.balance, balance))
        }
    }

    /// Parses the body field by field, so that every refusal names its field.
    static func parse(_ data: Data) throws -> ContractArithmetic.Input {
        let body: Body
        do { body = try JSONDecoder().decode(Body.self, from: data) } catch {
            throw AppError(status: .badRequest, code: "bad_request",
                           reason: "Тело запроса должно быть JSON-объектом с полями groupStart, groupEnd, price, normative, contractStart, contractEnd, balance.")
        }
        return try body.input()
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
