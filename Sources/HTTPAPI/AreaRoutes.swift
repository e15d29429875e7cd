import Hummingbird

/// `GET /api/areas`: the communes and wards of the catalogue, each with the official risk level its active warnings
/// state, for the page's map of the district.
struct AreaRoutes: Sendable {
    let context: APIServer.Context

    func add(to group: RouterGroup<APIRequestContext>) {
        group.get("areas") { request, requestContext in
            _ = try await context.authorize(request, requestContext, as: .reader)
            return try JSON.response(Answer(riskZone: context.catalogue.riskZone, areas: try await areas()))
        }
    }

    struct Answer: Encodable {
        /// The province's zone (khu vực) of Appendix XII of Decision 18/2021/QĐ-TTg.
        var riskZone: Int?
        var areas: [APIModels.Area]
    }

    private func areas() async throws -> [APIModels.Area] {
        // A warning is about the area its event names: the commune of a landslide warning, the commune a gauge or
        // reservoir stands in. The latest event of a warning states its current risk level.
        let active = Dictionary(
            grouping: try await context.database.activeWarningsAsync().filter { $0.latest.event.area != nil },
            by: { $0.latest.event.area ?? "" })
        return context.catalogue.areas.map { area in
            let warnings = active[area.id] ?? []
            return APIModels.Area(
                id: area.id, name: area.name, kind: area.kind.rawValue, fullName: area.fullName,
                formerly: area.formerly, lat: area.centre?.latitude, lon: area.centre?.longitude,
                approximate: area.approximate, boundary: area.boundary?.map { [$0.latitude, $0.longitude] },
                landslideRisk: area.landslideRisk?.rawValue,
                riskLevel: warnings.compactMap(\.latest.event.riskLevel).max(),
                warnings: warnings.map(\.latest.warningID).sorted())
        }
    }
}
