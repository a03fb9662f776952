import Domain
import Foundation

/// The signed-in user's password page (`/account/password`). Nothing to read.
enum PasswordPage {
    struct Context: Encodable, Sendable {
        let layout: LayoutContext
        let action: String
        let errors: [FieldError]
        let done: Bool
    }

    static func context(errors: [FieldError], done: Bool, layout: LayoutContext) -> Context {
        Context(layout: layout, action: SiteRoute.password.url, errors: errors, done: done)
    }
}
