import Domain
import Foundation

/// The certificate of a child as the family's child page and the staff's certificate card show it: its facts, the
/// family's actions, and the money per period with the statement of each.
enum CertificateViews {
    /// The ledger of a certificate: per period, its amounts and every entry.
    struct Ledger: Sendable {
        struct Period: Sendable {
            let startsOn: LocalDate?
            let endsOn: LocalDate?
            let balance: LedgerBalance
            let lines: [LedgerService.StatementLine]

            var title: String {
                guard let s = startsOn, let e = endsOn else { return "—" }
                return "\(s.russian) – \(e.russian)"
            }
        }

        let periods: [Period]
    }

    /// Pure: the certificate's sections. `forFamily`: with the family's actions (apply again, become ПФ).
    static func sections(childID: UUID, certificate cert: CertificateModel?, ledger: Ledger, forFamily: Bool) -> [Section] {
        guard let cert else {
            return [Section(heading: "Сертификат", text: "Сертификат дополнительного образования ещё не оформлен.",
                            forms: forFamily ? [FormBlock(id: "apply", action: SiteRoute.familyChildApply(childID).url,
                                                          submit: "Подать заявление на сертификат")] : [])]
        }
        var facts = [Fact(label: "Статус", value: cert.status.title + (cert.frozen ? " (заморожен)" : ""))]
        if let n = cert.number { facts.insert(Fact(label: "Номер", value: n), at: 0) }
        facts.append(Fact(label: "Тип", value: cert.kind.title))
        if let closes = LocalDate(iso: cert.closesOn) { facts.append(Fact(label: "Действует до", value: closes.adding(days: -1).russian)) }
        if let reason = cert.rejectionReason, cert.status == .rejected { facts.append(Fact(label: "Причина отказа", value: reason)) }
        var forms: [FormBlock] = []
        if forFamily && cert.status == .rejected {
            forms.append(FormBlock(id: "apply", action: SiteRoute.familyChildApply(childID).url, submit: "Подать заявление снова"))
        }
        if forFamily && cert.status == .active && cert.kind == .accounting && !cert.frozen {
            forms.append(FormBlock(id: "financing", action: SiteRoute.familyChildFinancing(childID).url, submit: "Перевести в сертификат ПФ"))
        }
        var text: String? = nil
        if cert.status == .pending {
            text = "Заявление ждёт подтверждения: придите с ребёнком, его свидетельством о рождении и СНИЛС в пункт выдачи сертификатов или в муниципалитет."
        } else if cert.kind == .accounting && cert.status == .active {
            text = "Сертификат учёта позволяет записываться на бесплатные программы. Сертификат ПФ оплачивает сертифицированные программы."
        }
        return [Section(heading: "Сертификат", text: text, facts: facts, forms: forms)] + ledgerSections(ledger, region: cert.regionCode)
    }

    /// Amounts per period and the statement of every entry (nothing before the first grant).
    static func ledgerSections(_ ledger: Ledger, region: String) -> [Section] {
        guard !ledger.periods.isEmpty else { return [] }
        let zone = TimeZone(identifier: ReferenceData.region(code: region)?.timeZone ?? "Asia/Novokuznetsk")!
        let money = { (k: Int64) in Money(kopecks: k).formatted }
        let balances = ledger.periods.map { p in
            [Cell(p.title), Cell(money(p.balance.granted)), Cell(money(p.balance.available)), Cell(money(p.balance.reserved)),
             Cell(money(p.balance.spent))]
        }
        let statements = ledger.periods.map { p in
            Section(heading: "Выписка за период \(p.title)", tables: [
                Table(caption: "Операции по сертификату", headers: ["Дата", "Операция", "Сумма"],
                      rows: p.lines.map { l in
                          let title = l.kind.title + (l.contractID.map { " № " + $0.uuidString.prefix(8).uppercased() } ?? "")
                          let sign = [.grant, .release, .correction].contains(l.kind) ? "+" : "−"
                          return [Cell(LocalDate(l.at, in: zone).russian), Cell(title + (l.note.map { " (\($0))" } ?? "")),
                                  Cell(sign + money(l.amount))]
                      }),
            ])
        }
        return [Section(heading: "Средства сертификата", tables: [
            Table(caption: "Средства по периодам", headers: ["Период", "Начислено", "Доступно", "Зарезервировано", "Списано"], rows: balances),
        ])] + statements
    }
}
