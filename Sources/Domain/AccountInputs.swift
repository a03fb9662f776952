import Foundation

/// Sign-in credentials as they are sent: the sign-in form (`/login`) and the API (`POST /api/v1/auth/token`).
public struct CredentialsInput: Sendable, Hashable {
    public var email: String
    public var password: String

    public init(email: String = "", password: String = "") {
        self.email = email
        self.password = password
    }

    /// The fields left out or empty, each named: the API refuses such a request (400); the sign-in form simply
    /// fails to sign in, as with a wrong password.
    public var missing: [FieldError] {
        var out: [FieldError] = []
        if email.isEmpty { out.append(FieldError(field: "email", message: "Поле email обязательно.")) }
        if password.isEmpty { out.append(FieldError(field: "password", message: "Поле password обязательно.")) }
        return out
    }
}

/// A change of one's own password: the current one, the new one and its repetition (checked with the current
/// password's hash, so by the service).
public struct PasswordChangeInput: Sendable, Hashable {
    public var current: String
    public var new: String
    public var repeated: String

    public init(current: String = "", new: String = "", repeated: String = "") {
        self.current = current
        self.new = new
        self.repeated = repeated
    }
}

/// A parent registering a family account (`/register`).
public struct FamilyRegistrationInput: Sendable, Hashable {
    public var surname: String
    public var name: String
    public var patronymic: String
    public var email: String
    public var phone: String
    /// The municipality chosen in the list (nil: none, or not an identifier).
    public var municipality: UUID?
    public var password: String
    public var repeatPassword: String

    public init(surname: String = "", name: String = "", patronymic: String = "", email: String = "", phone: String = "",
                municipality: UUID? = nil, password: String = "", repeatPassword: String = "") {
        self.surname = surname
        self.name = name
        self.patronymic = patronymic
        self.email = email
        self.phone = phone
        self.municipality = municipality
        self.password = password
        self.repeatPassword = repeatPassword
    }

    public struct Valid: Sendable, Hashable {
        public let surname: String
        public let name: String
        public let patronymic: String
        /// Canonical: trimmed, lower case.
        public let email: String
        public let phone: String?
        public let municipality: UUID
        public let password: String
    }

    /// What a form shows again after a refusal: everything but the passwords.
    public var withoutPasswords: Self {
        var copy = self
        copy.password = ""
        copy.repeatPassword = ""
        return copy
    }

    /// Every check, all at once, but whether the e-mail is free (the service's, once the rest is right);
    /// `municipalityFound`: the chosen municipality exists.
    public func validate(municipalityFound: Bool = true) -> Result<Valid, ValidationFailure> {
        var errors: [FieldError] = []
        func person(_ raw: String, _ field: String, _ label: String, required: Bool) -> String {
            switch Validation.personName(raw, field: field, label: label, required: required) {
            case .success(let s): return s
            case .failure(let e): errors.append(e); return ""
            }
        }
        let surname = person(surname, "surname", "фамилию", required: true)
        let name = person(name, "name", "имя", required: true)
        let patronymic = person(patronymic, "patronymic", "отчество", required: false)
        var email = ""
        switch Validation.email(self.email) {
        case .success(let e): email = e
        case .failure(let e): errors.append(e)
        }
        let phone = self.phone.trimmingCharacters(in: .whitespaces)
        if phone.count > 30 || !phone.allSatisfy({ $0.isNumber || " +-()".contains($0) }) {
            errors.append(FieldError(field: "phone", message: "Телефон может содержать только цифры, пробелы, скобки, «+» и «-»."))
        }
        if municipality == nil || !municipalityFound { errors.append(Self.noMunicipality) }
        if let e = Validation.newPassword(password, field: "password") { errors.append(e) }
        if password != repeatPassword {
            errors.append(FieldError(field: "repeatPassword", message: "Пароль и его повтор не совпадают."))
        }
        guard errors.isEmpty, let municipality else { return .failure(ValidationFailure(errors)) }
        return .success(Valid(surname: surname, name: name, patronymic: patronymic, email: email,
                              phone: phone.isEmpty ? nil : phone, municipality: municipality, password: password))
    }

    public static let noMunicipality = FieldError(field: "municipality", message: "Выберите муниципалитет из списка.")
}

/// A family that comes in person to an issuing point or the municipality: the parent (an existing family account is
/// found by its e-mail) and the child, whose certificate is confirmed at once.
public struct AssistedIssuanceInput: Sendable, Hashable {
    public var parentSurname: String
    public var parentName: String
    public var parentPatronymic: String
    public var parentEmail: String
    public var parentPhone: String
    /// A temporary password, for a new account only.
    public var parentPassword: String
    public var child: ChildInput

    public init(parentSurname: String = "", parentName: String = "", parentPatronymic: String = "", parentEmail: String = "",
                parentPhone: String = "", parentPassword: String = "", child: ChildInput = .blank) {
        self.parentSurname = parentSurname
        self.parentName = parentName
        self.parentPatronymic = parentPatronymic
        self.parentEmail = parentEmail
        self.parentPhone = parentPhone
        self.parentPassword = parentPassword
        self.child = child
    }

    /// The parent as checked; the child is checked again when added.
    public struct Parent: Sendable, Hashable {
        public let surname: String
        public let name: String
        public let patronymic: String
        public let email: String
        public let phone: String?
    }

    public var withoutPassword: Self {
        var copy = self
        copy.parentPassword = ""
        return copy
    }

    /// The checks of the parent and the child that need no database, all at once, with the parent as far as it is
    /// right (an e-mail that is wrong is empty). Whether the account exists, and so whether a password is needed, is
    /// the service's.
    public func check(today: LocalDate) -> (parent: Parent, errors: [FieldError]) {
        var errors: [FieldError] = []
        func person(_ raw: String, _ field: String, _ label: String, required: Bool) -> String {
            switch Validation.personName(raw, field: field, label: label, required: required) {
            case .success(let s): return s
            case .failure(let e): errors.append(e); return ""
            }
        }
        let surname = person(parentSurname, "parentSurname", "фамилию родителя", required: true)
        let name = person(parentName, "parentName", "имя родителя", required: true)
        let patronymic = person(parentPatronymic, "parentPatronymic", "отчество родителя", required: false)
        var email = ""
        switch Validation.email(parentEmail, field: "parentEmail") {
        case .success(let e): email = e
        case .failure(let e): errors.append(e)
        }
        if case .failure(let e) = child.validate(today: today) { errors += e.errors }
        let phone = parentPhone.isEmpty ? nil : String(parentPhone.prefix(30))
        return (Parent(surname: surname, name: name, patronymic: patronymic, email: email, phone: phone), errors)
    }
}

extension ChildInput {
    /// An empty form.
    public static let blank = ChildInput(surname: "", name: "", patronymic: "", birthDate: "", sex: "", snils: "",
                                         birthCertificateSeries: "", birthCertificateNumber: "")
}
