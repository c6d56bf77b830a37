import PreflightProbes
import Testing

/// What a bundle loads: the way a key in a vendor or lazy chunk is reached.
@Suite struct ScriptReferencesTests {
    @Test func staticAndDynamicImports() {
        let entry = #"import{c as C,r as R}from"./vendor-4f1c.js";import "./polyfills.js";export*from'../shared/util.mjs';"#
            + #"const routes={a:()=>import("./lazy-page.js"),b:()=>import( `./admin.js`)};import React from "react";"#
            + #"Array.from("abc");const t=`${x}`;"#
        let references = ScriptReferences.extract(from: entry, url: "https://example.com/assets/index-9a.js")
        #expect(references == [
            "https://example.com/assets/polyfills.js", "https://example.com/assets/lazy-page.js", "https://example.com/assets/admin.js",
            "https://example.com/assets/vendor-4f1c.js", "https://example.com/shared/util.mjs",
        ])
    }

    @Test func vitePreloadDependencies() {
        let entry = #"const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/Account-3c1.js","assets/Account-9b2.css","assets/vendor-77a.js"])))=>i.map(i=>d[i]);"#
        let references = ScriptReferences.extract(from: entry, url: "https://shop.example.com/assets/index-1.js")
        #expect(references == ["https://shop.example.com/assets/Account-3c1.js", "https://shop.example.com/assets/vendor-77a.js"])
    }

    @Test func nextBuildManifest() {
        let manifest = #"self.__BUILD_MANIFEST=function(s,c){return{__rewrites:{afterFiles:[]},"/":[s,"static/chunks/pages/index-5d1e.js"],"/account":["static/chunks/pages/account-77b2.js"],sortedPages:["/","/_app"]}}("static/chunks/framework-0c1.js","static/css/app.css");"#
        let references = ScriptReferences.extract(from: manifest, url: "https://example.com/_next/static/bUiLdId/_buildManifest.js")
        #expect(Set(references) == [
            "https://example.com/_next/static/chunks/pages/index-5d1e.js", "https://example.com/_next/static/chunks/pages/account-77b2.js",
            "https://example.com/_next/static/chunks/framework-0c1.js",
        ])
    }

    @Test func nothingFromPlainCode() {
        #expect(ScriptReferences.extract(from: #"var from="x";function important(){return "./not-an-import.js"}"#, url: "https://example.com/a.js") == [])
    }
}
