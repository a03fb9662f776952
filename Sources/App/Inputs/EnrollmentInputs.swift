import Domain
import Foundation

extension ApplicationInput {
    /// The one mapping of an application (and of a place on a waiting list): the plan page's form and query string,
    /// the API's JSON.
    init(_ b: InputBody) throws {
        try b.require("child")
        self.init(group: try b.uuid("group"), child: try b.uuid("child"), start: try b.text("start") ?? "")
    }
}

/// A provider's rejection of an application: the reason.
struct RejectionInput: Sendable {
    var reason: String

    init(_ b: InputBody) throws {
        try b.require("reason")
        reason = try b.text("reason") ?? ""
    }
}

/// A parent's choice about the prolongation of a contract into the next period.
struct ProlongationInput: Sendable {
    var prolong: Bool?

    init(_ b: InputBody) throws { prolong = try b.flag("prolong") }

    func validate() throws -> Bool {
        guard let prolong else { throw FieldError(field: "prolong", message: "Укажите prolong: true (продлить) или false (отказаться от продления).") }
        return prolong
    }
}
