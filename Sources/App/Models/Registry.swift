import Domain
import Fluent
import Foundation

/// Поставщик образовательных услуг (domain.md §3). The registry issue adds moderation and programs.
final class ProviderModel: Model, @unchecked Sendable {
    static let schema = "providers"
    @ID(key: .id) var id: UUID?
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "full_name") var fullName: String
    @Field(key: "short_name") var shortName: String
    @Field(key: "kind") var kind: String
    @Field(key: "ownership") var ownership: String
    @Field(key: "inn") var inn: String
    @Field(key: "ogrn") var ogrn: String
    @OptionalField(key: "kpp") var kpp: String?
    @OptionalField(key: "licence_number") var licenceNumber: String?
    @OptionalField(key: "licence_date") var licenceDate: String?
    @Field(key: "legal_address") var legalAddress: String
    @Field(key: "actual_address") var actualAddress: String
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "website") var website: String?
    @OptionalField(key: "bank_name") var bankName: String?
    @OptionalField(key: "bank_bik") var bankBIK: String?
    @OptionalField(key: "bank_account") var bankAccount: String?
    @OptionalField(key: "bank_correspondent_account") var bankCorrespondentAccount: String?
    @Field(key: "status") var status: ProviderStatus
    @OptionalField(key: "status_reason") var statusReason: String?
    @Field(key: "is_issuing_point") var isIssuingPoint: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A child of a family (the parent's account).
final class ChildModel: Model, @unchecked Sendable {
    static let schema = "children"
    @ID(key: .id) var id: UUID?
    @Field(key: "family_id") var familyID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "municipality_id") var municipalityID: UUID
    @Field(key: "surname") var surname: String
    @Field(key: "name") var name: String
    @Field(key: "patronymic") var patronymic: String
    @Field(key: "birth_date") var birthDate: String
    @Field(key: "sex") var sex: String
    @Field(key: "snils") var snils: String
    @OptionalField(key: "birth_certificate_series") var birthCertificateSeries: String?
    @OptionalField(key: "birth_certificate_number") var birthCertificateNumber: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var fullName: String { [surname, name, patronymic].filter { !$0.isEmpty }.joined(separator: " ") }
}

/// The progress of `navigator demo`, so that an interrupted run can be resumed.
final class DemoRunModel: Model, @unchecked Sendable {
    static let schema = "demo_runs"
    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "seed") var seed: Int64
    @Field(key: "children") var children: Int
    @Field(key: "programs") var programs: Int
    @Field(key: "stage") var stage: String
    @Field(key: "next_batch") var nextBatch: Int
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}
}
