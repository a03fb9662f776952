import Domain
import Foundation

extension CredentialsInput {
    /// The one mapping of sign-in credentials: the sign-in form and the API's `{"email", "password"}`.
    init(_ b: InputBody) throws {
        self.init(email: try b.text("email") ?? "", password: try b.text("password") ?? "")
    }
}

extension PasswordChangeInput {
    /// The password form (`/account/password`).
    init(_ b: InputBody) throws {
        self.init(current: try b.text("currentPassword") ?? "", new: try b.text("newPassword") ?? "",
                  repeated: try b.text("repeatPassword") ?? "")
    }
}
