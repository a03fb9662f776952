import Domain
import Foundation

/// A contract's row as every write path inserts it (applications, waiting-list offers, prolongations): the one
/// column list below generates the INSERT, the PL/pgSQL functions' parameters and the batch's arrays.
struct ContractRow: Sendable, Hashable {
    var id: UUID
    var regionCode: String
    var municipalityID: UUID
    var providerID: UUID
    var programID: UUID
    var moduleID: UUID
    var groupID: UUID
    var childID: UUID
    var familyID: UUID
    var certificateID: UUID
    var periodID: UUID
    var funding: FundingKind
    var status: ContractStatus
    var startsOn: String
    var endsOn: String
    var plannedEndsOn: String
    var fullAmount: Int64
    var certificateAmount: Int64
    var parentAmount: Int64
    /// The month-by-month split (`MonthPart.encode`).
    var months: String
    var answerDue: Date?
    var fromWaitlist: Bool
    var createdAt: Date
    var offeredAt: Date?
    var activatedAt: Date?
    /// The contract of the previous period this one continues.
    var previousID: UUID?

    static let columns: [Column<ContractRow>] = [
        .uuid("id") { $0.id }, .text("region_code") { $0.regionCode }, .uuid("municipality_id") { $0.municipalityID },
        .uuid("provider_id") { $0.providerID }, .uuid("program_id") { $0.programID }, .uuid("module_id") { $0.moduleID },
        .uuid("group_id") { $0.groupID }, .uuid("child_id") { $0.childID }, .uuid("family_id") { $0.familyID },
        .uuid("certificate_id") { $0.certificateID }, .uuid("period_id") { $0.periodID }, .text("funding") { $0.funding.rawValue },
        .text("status") { $0.status.rawValue }, .text("starts_on") { $0.startsOn }, .text("ends_on") { $0.endsOn },
        .text("planned_ends_on") { $0.plannedEndsOn }, .int("full_amount") { $0.fullAmount },
        .int("certificate_amount") { $0.certificateAmount }, .int("parent_amount") { $0.parentAmount }, .text("months") { $0.months },
        .date("answer_due") { $0.answerDue }, .bool("from_waitlist") { $0.fromWaitlist }, .date("created_at") { $0.createdAt },
        .date("offered_at") { $0.offeredAt }, .date("activated_at") { $0.activatedAt }, .uuid("previous_id") { $0.previousID },
    ]

    static let columnsByName: [String: Column<ContractRow>] = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0) })

    /// «Д-1A2B3C4D»: the number families and providers quote.
    var number: String { ContractModel.number(id) }

    /// The dates and the §6 split of a new contract (its end also the planned end).
    mutating func setTerms(start: LocalDate, end: LocalDate, quote: ContractArithmetic.Quote) {
        startsOn = start.iso
        endsOn = end.iso
        plannedEndsOn = end.iso
        fullAmount = quote.full.kopecks
        certificateAmount = quote.certificate.kopecks
        parentAmount = quote.parent.kopecks
        months = MonthPart.encode(MonthPart.from(quote))
    }
}

extension ContractModel {
    /// The model of a row just written (for answers and pages).
    convenience init(_ r: ContractRow) {
        self.init()
        id = r.id
        regionCode = r.regionCode
        municipalityID = r.municipalityID
        providerID = r.providerID
        programID = r.programID
        moduleID = r.moduleID
        groupID = r.groupID
        childID = r.childID
        familyID = r.familyID
        certificateID = r.certificateID
        periodID = r.periodID
        funding = r.funding
        status = r.status
        startsOn = r.startsOn
        endsOn = r.endsOn
        plannedEndsOn = r.plannedEndsOn
        fullAmount = r.fullAmount
        certificateAmount = r.certificateAmount
        parentAmount = r.parentAmount
        months = r.months
        answerDue = r.answerDue
        fromWaitlist = r.fromWaitlist
        createdAt = r.createdAt
        offeredAt = r.offeredAt
        activatedAt = r.activatedAt
        previousID = r.previousID
    }
}

/// A notification written in the same transaction as the step that causes it.
struct NotificationRow: Sendable, Hashable {
    var id: UUID
    var userID: UUID
    var kind: NotificationKind
    var text: String
    var link: String?
    var createdAt: Date

    static let columns: [Column<NotificationRow>] = [
        .uuid("id") { $0.id }, .uuid("user_id") { $0.userID }, .text("kind") { $0.kind.rawValue }, .text("text") { $0.text },
        .text("link") { $0.link }, .date("created_at") { $0.createdAt },
    ]
}

/// The ledger's entry table (domain §5): the columns of an entry, for the writes that insert one directly.
enum LedgerEntryColumns {
    static let names = ["id", "certificate_id", "period_id", "contract_id", "kind", "amount", "operation_key", "note", "created_at", "seq"]
}

/// Operation keys of the ledger, one spelling each (an operation is posted at most once per key).
enum LedgerKeys {
    /// The hold of a new contract.
    static func hold(_ contractID: UUID) -> String { "hold:" + contractID.uuidString.lowercased() }
}
