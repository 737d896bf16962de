//! Look-alike publishable keys of other providers (Paystack, Magic, Liveblocks,
//! ...) mixed with a Pictify key: hidden by default, shown and labelled with
//! `--include-other-providers`, and never hiding the Pictify key next to them.
use crate::util::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

const HEX: &[u8] = b"0123456789abcdef";
const UPPER_HEX: &[u8] = b"0123456789ABCDEF";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A random body of `n` characters drawn from `alphabet` (belongs to no one).
fn body(seed: u64, n: usize, alphabet: &[u8]) -> String {
    fake_body(seed, n)
        .bytes()
        .map(|b| alphabet[b as usize % alphabet.len()] as char)
        .collect()
}

fn uuid(seed: u64) -> String {
    let h = body(seed, 32, HEX);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// One look-alike planted in the fixture tree.
struct Planted {
    provider: &'static str,
    rule_id: &'static str,
    path: &'static str,
    key: String,
    /// The file's text; `{key}` marks where the key goes.
    template: &'static str,
}

impl Planted {
    fn text(&self) -> String {
        self.template.replace("{key}", &self.key)
    }
    fn line(&self) -> u64 {
        let at = self.template.find("{key}").expect("template has {key}");
        1 + self.template[..at].matches('\n').count() as u64
    }
}

fn planted() -> Vec<Planted> {
    let p = |provider, rule_id, path, key: String, template| Planted {
        provider,
        rule_id,
        path,
        key,
        template,
    };
    vec![
        p(
            "Paystack",
            "paystack.publishable-key",
            "src/components/PayButton.jsx",
            format!("pk_live_{}", body(11, 40, HEX)),
            "import { usePaystackPayment } from 'react-paystack';\n\nconst config = {\n  email,\n  amount: 20000,\n  publicKey: '{key}',\n};\n",
        ),
        p(
            "Magic",
            "magic.publishable-key",
            "src/lib/magic.js",
            format!("pk_live_{}", body(12, 16, UPPER_HEX)),
            "import { Magic } from 'magic-sdk';\n\nexport const magic = typeof window !== 'undefined' && new Magic('{key}');\n",
        ),
        p(
            "Liveblocks",
            "liveblocks.publishable-key",
            "src/liveblocks.config.ts",
            format!("pk_test_{}", body(13, 24, ALNUM)),
            "import { createClient } from \"@liveblocks/client\";\n\nconst client = createClient({\n  publicApiKey: \"{key}\",\n});\n",
        ),
        p(
            "PayMongo",
            "paymongo.publishable-key",
            ".env.local",
            format!("pk_live_{}", body(14, 24, ALNUM)),
            "NEXT_PUBLIC_SITE_NAME=shop\nNEXT_PUBLIC_PAYMONGO_PUBLIC_KEY={key}\n",
        ),
        p(
            "Tap Payments",
            "tap.publishable-key",
            "public/checkout.html",
            format!("pk_test_{}", body(15, 24, ALNUM)),
            "<script>\n  goSell.config({\n    containerID: 'root',\n    gateway: { publicKey: '{key}', language: 'en' },\n  });\n</script>\n",
        ),
        p(
            "Moyasar",
            "moyasar.publishable-key",
            "resources/views/pay.blade.php",
            format!("pk_test_{}", body(16, 40, ALNUM)),
            "<div class=\"mysr-form\"></div>\n<script>\n  Moyasar.init({\n    element: '.mysr-form',\n    amount: 1000,\n    publishable_api_key: '{key}',\n  });\n</script>\n",
        ),
        p(
            "Culqi",
            "culqi.publishable-key",
            "assets/js/checkout.js",
            format!("pk_test_{}", body(17, 16, ALNUM)),
            "Culqi.publicKey = '{key}';\nCulqi.settings({ title: 'Tienda', currency: 'PEN', amount: 500 });\n",
        ),
        p(
            "Yoco",
            "yoco.publishable-key",
            "src/checkout/yoco.ts",
            // Yoco keys start with 8 lowercase hex characters.
            format!("pk_live_{}{}", body(18, 8, HEX), body(24, 12, ALNUM)),
            "export const yoco = new window.YocoSDK({ publicKey: '{key}' });\n",
        ),
        p(
            "Pagar.me",
            "pagarme.publishable-key",
            "lib/core/pagarme_config.dart",
            format!("pk_test_{}", body(19, 16, ALNUM)),
            "class PagarmeConfig {\n  static const String publicKey = '{key}';\n}\n",
        ),
        p(
            "Knock",
            "knock.publishable-key",
            "src/components/Notifications.tsx",
            format!("pk_test_{}", body(20, 43, ALNUM)),
            "import { KnockProvider } from \"@knocklabs/react\";\n\nexport const Feed = ({ user }) => (\n  <KnockProvider apiKey=\"{key}\" userId={user.id} />\n);\n",
        ),
        p(
            "Checkout.com",
            "checkout-com.publishable-key",
            "public/pay.html",
            format!("pk_test_{}", uuid(21)),
            "<script src=\"https://cdn.checkout.com/js/framesv2.min.js\"></script>\n<script>\n  Frames.init(\"{key}\");\n</script>\n",
        ),
        p(
            "Tabby",
            "tabby.publishable-key",
            "lib/config/tabby_config.dart",
            // Tabby's production keys are `pk_` + UUID: only test keys look like Pictify's.
            format!("pk_test_{}", uuid(22)),
            "class TabbyConfig {\n  static const String publicKey = '{key}';\n}\n",
        ),
        p(
            "Shift4",
            "shift4.publishable-key",
            "src/components/CardForm.tsx",
            format!("pk_live_{}", body(25, 24, ALNUM)),
            "useEffect(() => {\n  const shift4 = new window.Shift4('{key}');\n  shift4.createComponentGroup().automount('#payment-form');\n}, []);\n",
        ),
        p(
            "Lahza",
            "lahza.publishable-key",
            "resources/views/checkout.blade.php",
            format!("pk_test_{}", body(26, 33, ALNUM)),
            "<script src=\"https://js.lahza.io/inline.min.js\"></script>\n<script>\n  const lahza = new LahzaPopup();\n  lahza.newTransaction({\n    key: '{key}',\n    email,\n    amount: 5000,\n  });\n</script>\n",
        ),
        p(
            "Flexpa",
            "flexpa.publishable-key",
            "src/App.tsx",
            format!("pk_test_{}", body(27, 43, ALNUM)),
            "FlexpaLink.create({\n  publishableKey: '{key}',\n  onSuccess: (publicToken) => exchange(publicToken),\n});\n",
        ),
        p(
            "HyperTrack",
            "hypertrack.publishable-key",
            "app/src/main/java/io/fleet/DriverApp.java",
            format!("pk_test_{}", body(28, 40, HEX)),
            "public class DriverApp extends Application {\n    @Override\n    public void onCreate() {\n        super.onCreate();\n        HyperTrack.initialize(this, \"{key}\");\n    }\n}\n",
        ),
        p(
            "PAY.JP",
            "payjp.publishable-key",
            "app/javascript/card.js",
            format!("pk_test_{}", body(29, 24, HEX)),
            "const pay = () => {\n  const payjp = Payjp('{key}');\n  const elements = payjp.elements();\n};\n",
        ),
        p(
            "MoonPay",
            "moonpay.publishable-key",
            "src/components/BuyCrypto.tsx",
            format!("pk_live_{}", body(30, 31, ALNUM)),
            "export const openBuy = (address) =>\n  window.open(`https://buy.moonpay.com?apiKey={key}&walletAddress=${address}`);\n",
        ),
        p(
            "FedaPay",
            "fedapay.publishable-key",
            "templates/don.html",
            format!("pk_live_{}", body(31, 24, ALNUM)),
            "<script src=\"https://cdn.fedapay.com/checkout.js?v=1.1.7\"\n  data-public-key=\"{key}\"\n  data-button-text=\"Payer\"></script>\n",
        ),
        p(
            "BudPay",
            "budpay.publishable-key",
            "src/pages/Pay.vue",
            format!("pk_test_{}", body(32, 38, LOWER_ALNUM)),
            "BudPayCheckout({\n  key: '{key}',\n  email: customer.email,\n  amount: total,\n});\n",
        ),
        p(
            "Fincra",
            "fincra.publishable-key",
            "public/js/fincra.js",
            format!(
                "pk_test_{}",
                STANDARD.encode(format!("{}::{}", body(33, 24, HEX), 120_007))
            ),
            "Fincra.initialize({\n  key: \"{key}\",\n  amount: 5000,\n  currency: \"NGN\",\n});\n",
        ),
        p(
            "Commerce.js",
            "commercejs.publishable-key",
            "src/lib/commerce.js",
            format!("pk_test_{}", body(34, 45, HEX)),
            "import Commerce from '@chec/commerce.js';\n\nexport const commerce = new Commerce('{key}', true);\n",
        ),
        p(
            "SwitchApp",
            "switchapp.publishable-key",
            "src/hooks/useSwitchApp.ts",
            format!("pk_test_{}", body(35, 25, ALNUM)),
            "import SwitchAppCheckout from '@switchappgo/switchapp-inline';\n\nexport const client = new SwitchAppCheckout({ publicApiKey: '{key}' });\n",
        ),
        p(
            "Korapay",
            "korapay.publishable-key",
            ".env.production",
            format!("pk_live_{}", body(23, 40, ALNUM)),
            "REACT_APP_API_URL=https://api.shop.test\nREACT_APP_KORA_PUBLIC_KEY={key}\n",
        ),
    ]
}

/// The Pictify key sits in client code that also uses Paystack and Magic, so
/// look-alike context nearby must not hide it.
const PICTIFY_PATH: &str = "src/components/ShareCard.jsx";
const PICTIFY_LINE: u64 = 5;

fn pictify_file(key: &str) -> String {
    format!(
        "import {{ usePaystackPayment }} from 'react-paystack';\n\
         import {{ Magic }} from 'magic-sdk';\n\
         \n\
         // Renders the share image through api.pictify.io\n\
         const pictify = new Pictify({{ apiKey: '{key}' }});\n"
    )
}

fn fixture() -> (Project, Vec<Planted>, String) {
    let p = Project::new();
    let planted = planted();
    for l in &planted {
        p.write(l.path, l.text());
    }
    let pictify_key = live_key(99);
    p.write(PICTIFY_PATH, pictify_file(&pictify_key));
    (p, planted, pictify_key)
}

fn find<'a>(findings: &'a [Value], path: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["path"] == path).collect()
}

#[test]
fn lookalikes_are_not_reported_by_default() {
    let (p, planted, pictify_key) = fixture();
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.findings(),
        vec![(
            PICTIFY_PATH.to_string(),
            PICTIFY_LINE,
            "client-js".to_string(),
            "critical".to_string(),
            "pictify.api-key".to_string()
        )],
        "only the Pictify key is reported by default"
    );
    let v = r.json();
    assert_eq!(v["findings"][0]["attribution"], "pictify");
    for secret in planted.iter().map(|l| &l.key).chain([&pictify_key]) {
        assert!(!r.stdout.contains(secret.as_str()), "a key leaked");
    }
}

#[test]
fn include_other_providers_labels_each_lookalike() {
    let (p, planted, pictify_key) = fixture();
    let r = p.run(&["scan", "--format", "json", "--include-other-providers", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let findings = v["findings"].as_array().expect("findings");
    assert_eq!(
        findings.len(),
        planted.len() + 1,
        "one finding per planted key: {:#?}",
        r.findings()
    );
    for l in &planted {
        let got = find(findings, l.path);
        assert_eq!(got.len(), 1, "{}: {got:#?}", l.path);
        let f = got[0];
        assert_eq!(f["rule_id"], l.rule_id, "{}: {}", l.path, f["reason"]);
        assert_eq!(f["provider"], l.provider, "{}", l.path);
        assert_eq!(f["attribution"], "other-provider", "{}", l.path);
        assert_eq!(f["severity"], "note", "{}", l.path);
        assert_eq!(f["line"], l.line(), "{}", l.path);
        let reason = f["reason"].as_str().unwrap();
        assert!(reason.starts_with(l.provider), "{}: {reason}", l.path);
    }
    let got = find(findings, PICTIFY_PATH);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0]["rule_id"], "pictify.api-key");
    assert_eq!(got[0]["attribution"], "pictify");
    assert_eq!(got[0]["severity"], "critical");
    for secret in planted.iter().map(|l| &l.key).chain([&pictify_key]) {
        assert!(!r.stdout.contains(secret.as_str()), "a key leaked");
    }
}

/// English words that are also provider names ("magic", "tap", "knock") do not
/// attribute a key: in a project that uses Pictify it is taken as Pictify's.
#[test]
fn english_words_do_not_name_providers() {
    let p = Project::new();
    p.write("server/og.js", "// renders share images with Pictify\n");
    p.write(
        "src/gestures.js",
        format!(
            "// tap to retry; knock twice; a little magic here and there\n\
             const renderKey = '{}';\n",
            live_key(7)
        ),
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.findings(),
        vec![(
            "src/gestures.js".to_string(),
            2,
            "client-js".to_string(),
            "critical".to_string(),
            "pictify.api-key".to_string()
        )]
    );
    assert_eq!(r.json()["findings"][0]["attribution"], "pictify");
    assert_eq!(r.json()["findings"][0]["confidence"], "low");
}

/// Every built-in look-alike names its provider unambiguously: no context
/// regex fires on everyday prose and code that merely shares a word with a
/// provider ("magic", "tap", "knock", "checkout", "frames", "publicKey"). A
/// context that did would hide real Pictify keys near such words.
#[test]
fn lookalike_contexts_ignore_everyday_words() {
    let prose = "This is where the magic happens: tap to open, knock twice, then go to \
                 checkout. Frames render at 60fps; magic numbers and magicLink helpers. \
                 const publicKey = cfg.publicKey; apiKey: key, publishableKey, publicApiKey, \
                 createClient({ url }), new Client(opts), taps, tapped, knocking, \
                 checkout.js, frames.init, MagicString, magic_number, tap_count, \
                 PUBLIC_KEY, PUBLISHABLE_KEY, API_KEY, NEXT_PUBLIC_API_KEY";
    let rules = pkscan::RuleSet::builtin_with_examples().expect("built-in rules load");
    let lookalikes: Vec<_> = rules.of_kind(pkscan::rules::RuleKind::Lookalike).collect();
    assert!(lookalikes.len() >= 10, "look-alike rules are built in");
    for r in lookalikes {
        for c in &r.context {
            if let Some(m) = c.find(prose.as_bytes()) {
                panic!(
                    "{}: context /{}/ matches everyday text {:?}",
                    r.id(),
                    c.as_str(),
                    String::from_utf8_lossy(m.as_bytes())
                );
            }
        }
    }
}

/// One committed env file listing every provider's key, one per line, with the
/// Pictify key among them and one key that nobody names: each named line goes
/// to its own provider, and both the Pictify key and the unnamed key (which
/// fits no nearby provider's shape) are still reported.
#[test]
fn one_env_file_with_every_provider() {
    let keys: Vec<Planted> = planted();
    let var = |provider: &str| match provider {
        "Paystack" => "PAYSTACK_PUBLIC_KEY",
        "Magic" => "NEXT_PUBLIC_MAGIC_PUBLISHABLE_KEY",
        "Liveblocks" => "NEXT_PUBLIC_LIVEBLOCKS_PUBLIC_KEY",
        "PayMongo" => "PAYMONGO_PUBLIC_KEY",
        "Tap Payments" => "VITE_TAP_PUBLIC_KEY",
        "Moyasar" => "MOYASAR_PUBLISHABLE_KEY",
        "Culqi" => "CULQI_PUBLIC_KEY",
        "Yoco" => "YOCO_PUBLIC_KEY",
        "Pagar.me" => "PAGARME_PUBLIC_KEY",
        "Knock" => "NEXT_PUBLIC_KNOCK_PUBLIC_API_KEY",
        "Checkout.com" => "NEXT_PUBLIC_CKO_PUBLIC_KEY",
        "Tabby" => "TABBY_PUBLIC_KEY",
        "Korapay" => "REACT_APP_KORA_PUBLIC_KEY",
        "Shift4" => "NEXT_PUBLIC_SHIFT4_PUBLIC_KEY",
        "Lahza" => "LAHZA_PUBLIC_KEY",
        "Flexpa" => "NEXT_PUBLIC_FLEXPA_PUBLISHABLE_KEY",
        "HyperTrack" => "HYPERTRACK_PUBLISHABLE_KEY",
        "PAY.JP" => "PAYJP_PUBLIC_KEY",
        "MoonPay" => "NEXT_PUBLIC_MOONPAY_API_KEY",
        "FedaPay" => "FEDAPAY_PUBLIC_KEY",
        "BudPay" => "VITE_BUDPAY_PUBLIC_KEY",
        "Fincra" => "FINCRA_PUBLIC_KEY",
        "Commerce.js" => "REACT_APP_CHEC_PUBLIC_KEY",
        "SwitchApp" => "NEXT_PUBLIC_SWITCHAPP_PUBLIC_KEY",
        other => panic!("no env var for {other}"),
    };
    let pictify_key = live_key(41);
    let unnamed_key = live_key(42);
    let mut lines = vec!["# committed by mistake".to_string()];
    for k in &keys {
        lines.push(format!("{}={}", var(k.provider), k.key));
    }
    let mid = 1 + keys.len() / 2;
    lines.insert(mid, format!("RENDER_KEY={unnamed_key}"));
    lines.push(format!("PICTIFY_API_KEY={pictify_key}"));
    let p = Project::new();
    p.write(".env", lines.join("\n") + "\n");

    let r = p.run(&["scan", "--format", "json", "--include-other-providers", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    let findings = v["findings"].as_array().expect("findings");
    let at = |line: usize| {
        findings
            .iter()
            .find(|f| f["line"] == line as u64)
            .unwrap_or_else(|| panic!("no finding on line {line}: {findings:#?}"))
    };
    assert_eq!(findings.len(), lines.len() - 1, "one finding per key");
    for (i, text) in lines.iter().enumerate().skip(1) {
        let f = at(i + 1);
        if let Some(k) = keys.iter().find(|k| text.ends_with(k.key.as_str())) {
            assert_eq!(f["provider"], k.provider, "line {}: {}", i + 1, f["reason"]);
            assert_eq!(f["rule_id"], k.rule_id, "line {}", i + 1);
            assert_eq!(f["severity"], "note", "line {}", i + 1);
        } else {
            assert_eq!(
                f["rule_id"],
                "pictify.api-key",
                "line {}: {}",
                i + 1,
                f["reason"]
            );
            assert_eq!(f["provider"], "Pictify", "line {}", i + 1);
            assert_eq!(f["context"], "config", "line {}", i + 1);
            assert_eq!(f["severity"], "high", "line {}", i + 1);
        }
    }
    assert_eq!(
        at(mid + 1)["attribution"],
        "pictify",
        "the file names Pictify"
    );
    assert_eq!(at(lines.len())["attribution"], "pictify");

    // By default only the two possible Pictify keys remain.
    let r = p.run(&["scan", "--format", "json", "."]);
    let lines_reported: Vec<u64> = r.findings().iter().map(|f| f.1).collect();
    assert_eq!(lines_reported, vec![mid as u64 + 1, lines.len() as u64]);
}

/// Every built-in look-alike passes `rules check` (its examples are attributed
/// to it through the full pipeline, its negative examples are not), and each
/// one proves it cannot hide a Pictify key: at least one negative example
/// names Pictify next to the provider's own shape or code.
#[test]
fn builtin_lookalikes_pass_rules_check_and_yield_to_pictify() {
    let rules = pkscan::RuleSet::builtin_with_examples().expect("built-in rules load");
    let report = pkscan::rules_check::check_rules(&rules);
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    for r in rules.of_kind(pkscan::rules::RuleKind::Lookalike) {
        assert!(!r.def.examples.is_empty(), "{}: no examples", r.id());
        assert!(
            r.def
                .negative_examples
                .iter()
                .any(|n| n.text().to_ascii_lowercase().contains("pictify")),
            "{}: no negative example with a Pictify key",
            r.id()
        );
    }
}

/// A project that never names Pictify gives a key that nothing ties to
/// Pictify to another provider: hidden, and shown as `other-provider` with
/// `--include-other-providers`. The same key in a project that names Pictify
/// somewhere is taken as Pictify's (low confidence); a file given alone is
/// no project, and its key is a guess (unattributed, one step lower).
#[test]
fn a_project_that_never_names_pictify_has_no_pictify_keys() {
    let key = live_key(31);
    let p = Project::new();
    p.write("config/app.yml", format!("api_key: {key}\n"));
    p.write("src/index.js", "export const x = 1\n");
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.findings().is_empty());
    let r = p.run(&["scan", "--format", "json", "--include-other-providers", "."]);
    let f = &r.json()["findings"][0];
    assert_eq!(f["attribution"], "other-provider", "{f}");
    assert_eq!(f["rule_id"], "other.publishable-key");
    assert!(f["reason"]
        .as_str()
        .unwrap()
        .contains("nothing in the project names Pictify"));
    // A file given alone is not a project: the key is a guess.
    let r = p.run(&["scan", "--format", "json", "config/app.yml"]);
    assert_eq!(
        r.findings(),
        vec![row(
            "config/app.yml",
            1,
            "config",
            "medium",
            "pictify.api-key"
        )]
    );

    p.write(
        "server/render.py",
        "PICTIFY_URL = 'https://api.pictify.io/image'\n",
    );
    let r = p.run(&["scan", "--format", "json", "."]);
    assert_eq!(
        r.findings(),
        vec![row(
            "config/app.yml",
            1,
            "config",
            "high",
            "pictify.api-key"
        )]
    );
    assert_eq!(r.json()["findings"][0]["attribution"], "pictify");
    assert_eq!(r.json()["findings"][0]["confidence"], "low");
}
