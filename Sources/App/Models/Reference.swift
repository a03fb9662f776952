import Fluent
import Foundation

final class RegionModel: Model, @unchecked Sendable {
    static let schema = "regions"
    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "time_zone") var timeZone: String

    init() {}
    init(code: String, name: String, timeZone: String) {
        self.id = code
        self.name = name
        self.timeZone = timeZone
    }
}

final class MunicipalityModel: Model, @unchecked Sendable {
    static let schema = "municipalities"
    @ID(key: .id) var id: UUID?
    @Field(key: "region_code") var regionCode: String
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "children_count") var childrenCount: Int?
    @Field(key: "children_is_estimate") var childrenIsEstimate: Bool

    init() {}
}

final class DirectionModel: Model, @unchecked Sendable {
    static let schema = "directions"
    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "title") var title: String
    @Field(key: "position") var position: Int

    init() {}
    init(code: String, title: String, position: Int) {
        self.id = code
        self.title = title
        self.position = position
    }
}
