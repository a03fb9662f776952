import Domain
import Fluent
import Foundation

/// A program of a provider (domain.md §3). Lists (activity kinds, ОВЗ categories) are stored as comma-separated codes.
final class ProgramModel: Model, @unchecked Sendable {
    static let schema = "programs"
    @ID(key: .id) var id: UUID?
    @Field(key: "provider_id") var providerID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "name") var name: String
    @Field(key: "annotation") var annotation: String
    @Field(key: "direction") var direction: String
    @Field(key: "activity_kinds") var activityKinds: String
    @Field(key: "level") var level: String
    @Field(key: "form") var form: String
    @Field(key: "distance") var distance: Bool
    @Field(key: "age_from") var ageFrom: Int
    @Field(key: "age_to") var ageTo: Int
    @Field(key: "disabilities") var disabilities: String
    @Field(key: "funding") var funding: FundingKind
    @Field(key: "status") var status: ProgramStatus
    @OptionalField(key: "status_reason") var statusReason: String?
    @Field(key: "was_published") var wasPublished: Bool
    @Field(key: "change_seq") var changeSeq: Int64
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var kindCodes: [String] { activityKinds.split(separator: ",").map(String.init) }
    var disabilityCodes: [String] { disabilities.split(separator: ",").map(String.init) }
}

final class ModuleModel: Model, @unchecked Sendable {
    static let schema = "program_modules"
    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "provider_id") var providerID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "months") var months: Int
    @Field(key: "hours") var hours: Int
    @Field(key: "min_children") var minChildren: Int
    @Field(key: "max_children") var maxChildren: Int
    @Field(key: "price") var price: Int64
    @OptionalField(key: "normative") var normative: Int64?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class GroupModel: Model, @unchecked Sendable {
    static let schema = "program_groups"
    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "module_id") var moduleID: UUID
    @Field(key: "provider_id") var providerID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "name") var name: String
    @Field(key: "teacher") var teacher: String
    @Field(key: "address") var address: String
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "capacity") var capacity: Int
    @Field(key: "taken") var taken: Int
    @Field(key: "schedule") var schedule: String
    @OptionalField(key: "enroll_from") var enrollFrom: String?
    @OptionalField(key: "enroll_until") var enrollUntil: String?
    @Field(key: "status") var status: GroupStatus
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// Stored as «1 15:00-16:30;3 15:00-16:30».
    var slots: [ScheduleSlot] { GroupModel.decodeSchedule(schedule) }

    static func encodeSchedule(_ slots: [ScheduleSlot]) -> String {
        slots.map { "\($0.day) \(String(format: "%02d:%02d-%02d:%02d", $0.start / 60, $0.start % 60, $0.end / 60, $0.end % 60))" }
            .joined(separator: ";")
    }

    static func decodeSchedule(_ s: String) -> [ScheduleSlot] {
        (try? ScheduleSlot.parseList(s).get()) ?? []
    }
}

extension ProgramModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: "provider_id", family: nil)
    var resourceScope: ResourceScope { ResourceScope(regionCode: regionCode, municipalityID: municipalityID, providerID: providerID) }
}

extension ModuleModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: "provider_id", family: nil)
    var resourceScope: ResourceScope { ResourceScope(regionCode: regionCode, municipalityID: municipalityID, providerID: providerID) }
}

extension GroupModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: "provider_id", family: nil)
    var resourceScope: ResourceScope { ResourceScope(regionCode: regionCode, municipalityID: municipalityID, providerID: providerID) }
}

/// An application, then an offer, then a contract (domain.md §7): one row through its whole life.
final class ContractModel: Model, @unchecked Sendable {
    static let schema = "contracts"
    @ID(key: .id) var id: UUID?
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "provider_id") var providerID: UUID
    @Field(key: "program_id") var programID: UUID
    @Field(key: "module_id") var moduleID: UUID
    @Field(key: "group_id") var groupID: UUID
    @Field(key: "child_id") var childID: UUID
    @Field(key: "family_id") var familyID: UUID
    @Field(key: "certificate_id") var certificateID: UUID
    @Field(key: "period_id") var periodID: UUID
    @Field(key: "funding") var funding: FundingKind
    @Field(key: "status") var status: ContractStatus
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "planned_ends_on") var plannedEndsOn: String
    @Field(key: "full_amount") var fullAmount: Int64
    @Field(key: "certificate_amount") var certificateAmount: Int64
    @Field(key: "parent_amount") var parentAmount: Int64
    @Field(key: "months") var months: String
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "answer_due") var answerDue: Date?
    @Field(key: "from_waitlist") var fromWaitlist: Bool
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "offered_at") var offeredAt: Date?
    @OptionalField(key: "activated_at") var activatedAt: Date?
    @OptionalField(key: "notice_at") var noticeAt: Date?
    @OptionalField(key: "notice_by") var noticeBy: Role?
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// The contract of the previous period this one prolongs.
    @OptionalField(key: "previous_id") var previousID: UUID?
    /// The prolongation into the next period: nil (not yet told), `notified`, `declined`, `done`, `skipped`.
    @OptionalField(key: "prolongation") var prolongation: ProlongationMark?

    init() {}

    var parts: [MonthPart] { MonthPart.decode(months) }
    /// «Д-1A2B3C4D»: the number families and providers quote.
    var number: String { id.map(Self.number) ?? "Д-" }
    static func number(_ id: UUID) -> String { "Д-" + id.uppercasedString.prefix(8) }
}

extension ContractModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: "provider_id",
                                           family: "family_id")
    var resourceScope: ResourceScope {
        ResourceScope(regionCode: regionCode, municipalityID: municipalityID, providerID: providerID, familyID: familyID)
    }
}

/// A child on the waiting list of a full group, in the order of applications.
final class WaitlistModel: Model, @unchecked Sendable {
    static let schema = "waitlist_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "group_id") var groupID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "provider_id") var providerID: UUID
    @Field(key: "child_id") var childID: UUID
    @Field(key: "family_id") var familyID: UUID
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "status") var status: WaitlistStatus
    @OptionalField(key: "contract_id") var contractID: UUID?
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "seq") var seq: Int64
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

extension WaitlistModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: "provider_id",
                                           family: "family_id")
    var resourceScope: ResourceScope {
        ResourceScope(regionCode: regionCode, municipalityID: municipalityID, providerID: providerID, familyID: familyID)
    }
}

/// An agreement between a municipality and a provider: without an active one the provider cannot enroll the
/// municipality's children on certified programs (domain §7).
final class AgreementModel: Model, @unchecked Sendable {
    static let schema = "agreements"
    @ID(key: .id) var id: UUID?
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "provider_id") var providerID: UUID
    @Field(key: "status") var status: AgreementStatus
    @Field(key: "concluded_on") var concludedOn: String
    @OptionalField(key: "terminated_on") var terminatedOn: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    /// An agreement in force from `concludedOn`.
    init(region: String, municipalityID: UUID, providerID: UUID, concludedOn: String, at now: Date) {
        regionCode = region
        self.municipalityID = municipalityID
        self.providerID = providerID
        status = AgreementStatus.active
        self.concludedOn = concludedOn
        createdAt = now
        updatedAt = now
    }

    /// «С-1A2B3C4D»: the number both sides quote.
    var number: String { "С-" + (id?.uuidString.prefix(8).uppercased() ?? "") }
}

extension AgreementModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: "provider_id", family: nil)
    var resourceScope: ResourceScope {
        ResourceScope(regionCode: regionCode, municipalityID: municipalityID, providerID: providerID, familyID: nil)
    }
}
