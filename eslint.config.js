// ESLint (flat config) with typescript-eslint. Formatting is Prettier's job (npm run lint runs
// both); these rules catch mistakes.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      ".wrangler/",
      "src/generated/",
      "bench/.work/",
      "e2e-artifacts/",
      "worker-configuration.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.serviceworker } },
    rules: {
      // `_name` marks a binding left unused on purpose (e.g. a property dropped by destructuring).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    // Ambient declarations cannot use `import type` without turning into modules.
    files: ["**/*.d.ts"],
    rules: { "@typescript-eslint/consistent-type-imports": "off" },
  },
  {
    // Tests walk parsed XML and JSON, which is untyped by nature, and feed the product hostile
    // text (control characters included) on purpose.
    files: ["test/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "no-control-regex": "off" },
  },
);
