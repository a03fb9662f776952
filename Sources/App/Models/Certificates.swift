import Domain
import Fluent
import Foundation

/// A period of a municipality (usually a calendar year); dates are local ISO dates.
final class PeriodModel: Model, @unchecked Sendable {
    static let schema = "periods"
    @ID(key: .id) var id: UUID?
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "status") var status: String
    @Field(key: "contracting_open") var contractingOpen: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// Сертификат дополнительного образования: one per child, ever.
final class CertificateModel: Model, @unchecked Sendable {
    static let schema = "certificates"
    @ID(key: .id) var id: UUID?
    @Field(key: "child_id") var childID: UUID
    @Field(key: "family_id") var familyID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @OptionalField(key: "number") var number: String?
    @Field(key: "kind") var kind: String
    @Field(key: "status") var status: String
    @Field(key: "frozen") var frozen: Bool
    @OptionalField(key: "group_id") var groupID: UUID?
    @OptionalField(key: "financing_since") var financingSince: Date?
    @OptionalField(key: "rejection_reason") var rejectionReason: String?
    @OptionalField(key: "confirmed_by") var confirmedBy: UUID?
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @Field(key: "closes_on") var closesOn: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

extension CertificateModel: ScopedModel {
    static let scopeColumns = ScopeColumns(region: "region_code", municipality: "municipality_id", provider: nil,
                                           family: "family_id")
    var resourceScope: ResourceScope {
        ResourceScope(regionCode: regionCode, municipalityID: municipalityID, familyID: familyID)
    }
}
