import Domain
import Fluent
import Foundation

/// A certified program with one group per module, written straight to the registry (no certification
/// round): the data of the enrollment benchmark (`navigator bench-enroll-setup`) and of the enrollment tests.
struct CertifiedProgramBuilder {
    var name: String
    var annotation = "Программа для проверки записи."
    var funding: FundingKind = .certificate
    var price: Int64 = 1_500_000
    var normative: Int64? = 1_638_000
    var ageMonths: ClosedRange<Int> = 60...215
    var modules = 1
    var capacity = 10
    var groupStart: LocalDate
    var groupEnd: LocalDate
    var teacher = "Петров Иван Сергеевич"
    var address = "г. Осинники, ул. Ленина, 40"

    /// The program, and its groups in module order.
    func create(for provider: ProviderModel, on tx: any Database) async throws -> (program: ProgramModel, groups: [GroupModel]) {
        let providerID = try provider.requireID()
        let p = ProgramModel()
        p.providerID = providerID
        p.regionCode = provider.regionCode
        p.municipalityID = provider.municipalityID
        p.name = name
        p.annotation = annotation
        p.direction = Direction.technical.rawValue
        p.activityKinds = "modeling"
        p.level = ProgramLevel.starting.rawValue
        p.form = StudyForm.fullTime.rawValue
        p.distance = false
        p.ageFrom = ageMonths.lowerBound
        p.ageTo = ageMonths.upperBound
        p.disabilities = ""
        p.funding = funding
        p.status = ProgramStatus.certified
        p.wasPublished = true
        p.changeSeq = try await CatalogStore.bump(tx)
        try await p.create(on: tx)
        var groups: [GroupModel] = []
        for k in 0..<modules {
            let m = ModuleModel()
            m.programID = p.id!
            m.providerID = providerID
            m.regionCode = p.regionCode
            m.municipalityID = p.municipalityID
            m.position = k + 1
            m.name = modules == 1 ? "Базовый модуль" : "Модуль \(k + 1)"
            m.months = 9
            m.hours = 72
            m.minChildren = 1
            m.maxChildren = max(capacity, 30)
            m.price = funding == .free ? 0 : price
            m.normative = funding == .certificate ? normative : nil
            try await m.create(on: tx)
            let g = GroupModel()
            g.programID = p.id!
            g.moduleID = m.id!
            g.providerID = providerID
            g.regionCode = p.regionCode
            g.municipalityID = p.municipalityID
            g.name = "Группа \(k + 1)"
            g.teacher = teacher
            g.address = address
            g.startsOn = groupStart.iso
            g.endsOn = groupEnd.iso
            g.capacity = capacity
            g.taken = 0
            g.schedule = modules == 1 ? "1 15:00-16:30;3 15:00-16:30" : "\(k % 7 + 1) 15:00-16:00"
            g.status = GroupStatus.open
            try await g.create(on: tx)
            groups.append(g)
        }
        return (p, groups)
    }
}
