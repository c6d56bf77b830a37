import Foundation
import PreflightCore
@testable import PreflightProbes
import Testing

/// What the source scan reads of webhook handlers: which files handle Clerk's events, whether
/// they verify them, and whether svix is given a re-serialised body.
@Suite struct SourceScannerTests {
    static func handler(_ text: String, path: String = "app/api/webhooks/clerk/route.ts") -> SourceScan.WebhookHandler? {
        SourceScanner.webhookHandler(in: text, path: path, calls: SourceScanner.calls(in: text, path: path))
    }

    @Test func clerksVerifyWebhookIsVerification() throws {
        let handler = try #require(Self.handler("""
            import { verifyWebhook } from '@clerk/nextjs/webhooks'
            export async function POST(req) {
              const evt = await verifyWebhook(req)
              if (evt.type === 'user.created') {}
            }
            """))
        #expect(handler.verifies && handler.reserializedAt == nil)
        #expect((handler.line, handler.column, handler.eventType) == (4, 21, "user.created"))
    }

    @Test func aHandlerThatOnlyParsesIsNotVerified() throws {
        let handler = try #require(Self.handler("""
            // Clerk webhook
            export async function POST(req) {
              const evt = await req.json()
              switch (evt.type) { case "user.deleted": await db.users.delete(evt.data.id) }
            }
            """))
        #expect(!handler.verifies)
        #expect(handler.eventType == "user.deleted")
    }

    @Test func svixOnAReserialisedBodyIsFound() throws {
        let handler = try #require(Self.handler("""
            import { Webhook } from "svix"
            export async function POST(req) {
              const payload = await req.json()
              const evt = new Webhook(process.env.WEBHOOK_SECRET).verify(JSON.stringify(payload), headers)
              if (evt.type === `session.created`) {}
            }
            """))
        #expect(handler.verifies)
        #expect(handler.reserializedAt == 4)
    }

    @Test func anEventNameOutsideAWebhookFileIsNotAHandler() {
        #expect(Self.handler("analytics.track('user.created')", path: "lib/analytics.ts") == nil)
        #expect(Self.handler("// webhook docs: user.created without quotes") == nil)
    }

    @Test func theScanListsHandlers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-sources-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("app/api/webhooks/route.ts")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "// webhook\nif (evt.type === 'user.created') {}\n".write(to: file, atomically: true, encoding: .utf8)
        let scan = SourceScanner().scan(folder: folder)
        #expect(scan.webhookHandlers?.map(\.path) == ["app/api/webhooks/route.ts"])
        #expect(scan.webhookHandlers?.first?.verifies == false)
    }
}

/// What `preflight init` reads of routes: the URL path of a route file, the paths a middleware protects.
@Suite struct AppDetectorRouteTests {
    @Test(arguments: [
        ("app/api/webhooks/route.ts", "/api/webhooks"),
        ("src/app/api/webhooks/clerk/route.ts", "/api/webhooks/clerk"),
        ("app/(backend)/api/clerk/route.js", "/api/clerk"),
        ("pages/api/webhooks.ts", "/api/webhooks"),
        ("pages/api/clerk/index.ts", "/api/clerk"),
    ])
    func routeFiles(file: String, route: String) {
        #expect(AppDetector.route(ofFile: file) == route)
    }

    @Test func filesWhoseRouteTheirPlaceDoesNotSay() {
        #expect(AppDetector.route(ofFile: "app/api/[tenant]/webhooks/route.ts") == nil)
        #expect(AppDetector.route(ofFile: "server/routes/webhooks.ts") == nil)
        #expect(AppDetector.route(ofFile: "app/api/webhooks/handler.ts") == nil)
    }

    @Test func protectedMatchersButNotPublicOnes() {
        let middleware = """
            const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)', '/api/webhooks(.*)'])
            const isProtectedRoute = createRouteMatcher(["/dashboard(.*)", '/settings', '/api/items/:path*', '/org/(\\\\w+)/admin'])
            export default clerkMiddleware(async (auth, req) => { if (isProtectedRoute(req)) await auth.protect() })
            """
        #expect(AppDetector.protectedPaths(inMiddleware: middleware) == ["/dashboard", "/settings", "/api/items"])
        #expect(AppDetector.protectedPaths(inMiddleware: "const matcher = createRouteMatcher(['/x'])") == [])
    }
}

/// The matcher a middleware file exports, as the source scan reads it.
@Suite struct MiddlewareMatcherScanTests {
    @Test func theMatcherListIsRead() throws {
        let text = """
            import { clerkMiddleware } from '@clerk/nextjs/server'
            export default clerkMiddleware()

            export const config = {
              matcher: ['/((?!_next|.*\\\\..*).*)', "/(api|trpc)(.*)"],
            }
            """
        let matcher = try #require(SourceScanner.middlewareMatcher(in: text, path: "middleware.ts"))
        #expect(matcher.line == 5)
        #expect(matcher.patterns == ["/((?!_next|.*\\..*).*)", "/(api|trpc)(.*)"])
        #expect(SourceScanner.middlewareMatcher(in: "export const config = { matcher: '/dashboard/:path*' }", path: "m.ts")?.patterns == ["/dashboard/:path*"])
        #expect(SourceScanner.middlewareMatcher(in: "export default clerkMiddleware()", path: "m.ts") == nil)
    }
}

/// Native app configuration as the source scan reads it: entitlements as property lists, Expo's
/// app.json as JSON, app.config.* for its string literals; each value at its line and column.
@Suite struct NativeConfigReaderTests {
    @Test func entitlementsAreReadAsAPropertyList() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
            \t<key>com.apple.developer.associated-domains</key>
            \t<array>
            \t\t<string>webcredentials:foo-bar-13.clerk.accounts.dev</string>
            \t</array>
            </dict>
            </plist>
            """
        let config = try #require(NativeConfigReader.read(Data(text.utf8), path: "ios/App/App.entitlements", kind: .entitlements))
        #expect(config.associatedDomains == [SourceScan.NativeConfig.Entry(value: "webcredentials:foo-bar-13.clerk.accounts.dev", line: 7, column: 11)])
        #expect(NativeConfigReader.read(Data("<plist><dict><key>".utf8), path: "a.entitlements", kind: .entitlements)?.readError == "not a property list")
    }

    @Test func expoAppJSON() throws {
        let text = #"{"expo": {"name": "shop", "scheme": "shop", "ios": {"bundleIdentifier": "com.example.shop", "associatedDomains": ["webcredentials:clerk.example.com"]}}}"#
        let config = try #require(NativeConfigReader.read(Data(text.utf8), path: "app.json", kind: .expoJSON))
        #expect(config.scheme == "shop")
        #expect(config.associatedDomains.map(\.value) == ["webcredentials:clerk.example.com"])
        #expect(NativeConfigReader.read(Data(#"{"name": "not expo"}"#.utf8), path: "app.json", kind: .expoJSON) == nil)
    }

    @Test func xcodeProjectBundleIdentifiers() throws {
        let text = "\t\t\t\tPRODUCT_BUNDLE_IDENTIFIER = com.example.shop;\n\t\t\t\tPRODUCT_BUNDLE_IDENTIFIER = com.example.shopTests;\n\t\t\t\tPRODUCT_BUNDLE_IDENTIFIER = \"com.example.shop\";\n"
        let config = try #require(NativeConfigReader.read(Data(text.utf8), path: "ios/Shop.xcodeproj/project.pbxproj", kind: .xcodeProject))
        #expect(config.bundleIdentifiers == ["com.example.shop"])
        #expect(NativeConfigReader.kind(of: "ios/Shop.xcodeproj/project.pbxproj") == .xcodeProject)
        let expo = try #require(NativeConfigReader.read(Data(#"{"expo": {"ios": {"bundleIdentifier": "a.b"}, "android": {"package": "a.b.android"}}}"#.utf8),
                                                         path: "app.json", kind: .expoJSON))
        #expect(expo.bundleIdentifiers == ["a.b", "a.b.android"])
    }

    @Test func expoAppConfigIsReadForItsLiterals() throws {
        let text = "export default {\n  ios: { associatedDomains: [`webcredentials:${host}`, 'applinks:example.com'] },\n}\n"
        let config = try #require(NativeConfigReader.read(Data(text.utf8), path: "app.config.ts", kind: .expoConfig))
        #expect(config.associatedDomains.map(\.value) == ["webcredentials:${host}", "applinks:example.com"])
        #expect(config.associatedDomains.first?.line == 2)
        #expect(NativeConfigReader.kind(of: "apps/mobile/app.config.js") == .expoConfig)
        #expect(NativeConfigReader.kind(of: "src/app.ts") == nil)
    }
}

/// Where integrations name Clerk's issuer, as the source scan reads it.
@Suite struct IssuerSettingReaderTests {
    @Test func convexDomainLiteralOrVariable() {
        let text = """
            export default {
              providers: [
                { domain: "https://foo-bar-13.clerk.accounts.dev", applicationID: "convex" },
                { domain: process.env.CLERK_FRONTEND_API_URL!, applicationID: "convex" },
              ],
            }
            """
        let settings = IssuerSettingReader.read(text, path: "convex/auth.config.ts")
        #expect(settings.map(\.value) == ["https://foo-bar-13.clerk.accounts.dev", nil])
        #expect(settings.map(\.variable) == [nil, "CLERK_FRONTEND_API_URL"])
        #expect(settings.map(\.line) == [3, 4])
        #expect(IssuerSettingReader.isCandidate("convex/auth.config.ts") && IssuerSettingReader.isCandidate("supabase/config.toml"))
        #expect(!IssuerSettingReader.isCandidate("src/auth.config.ts"))
    }

    @Test func supabaseThirdPartyClerkTableOnly() {
        let text = """
            [auth]
            enabled = true
            domain = "not-this.example"

            [auth.third_party.clerk]
            enabled = true
            domain = "foo-bar-13.clerk.accounts.dev"
            """
        let settings = IssuerSettingReader.read(text, path: "supabase/config.toml")
        #expect(settings.map(\.value) == ["foo-bar-13.clerk.accounts.dev"])
        #expect(settings.first.map { ($0.line, $0.column) } ?? (0, 0) == (7, 10))
    }
}
