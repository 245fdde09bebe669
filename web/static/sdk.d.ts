/**
 * Type declarations of `@labelloom/sdk`, the module plugin widgets import (web/static/sdk.js).
 *
 * Self-contained (no imports), so a plugin in its own repository type-checks its widgets with
 * `tsc --checkJs` against this one file: `labelloom sdk-types DIR` writes it to
 * `DIR/@labelloom/sdk/index.d.ts`. The contract is explained in docs/plugins.md ("Browser
 * widgets"). Kept in step with the JavaScript by web/tests/sdk-types.test.js (every runtime
 * export declared, nothing else) and by tsc: inside this repository `@labelloom/sdk` resolves to
 * this file, so every built-in widget is checked against it, and the test checks the runtime's
 * own types fit these.
 */

// ---------------------------------------------------------------------------------------------
// The labeling contract (web/static/labeling/types.js)
// ---------------------------------------------------------------------------------------------

/** One tag of the parsed config, exactly as `POST /api/labeling/tree` returns it. */
export type TagNode = {
  /** registered tag name ("Text", "Choices", "Label", "View" ...) */
  tag: string;
  kind: "structural" | "object" | "control" | "item" | "visual";
  /** 1-based line in the XML */
  line: number;
  /** converted attributes under canonical names; "$key" kept (resolve with `ctx.resolve`) */
  attrs: Record<string, any>;
  children?: TagNode[];
  /** text content (Header, Markdown, Style ...) */
  text?: string | null;
  /** plugin that registered the tag (owner of the widget) */
  plugin?: string | null;
  /** what the tag does: "classifies", "labels", "label", "object", "visual", "top_level" */
  traits?: string[];
};

/**
 * A Label Studio result item. Items of one region share `id`; classifications of a region
 * (perRegion controls) carry the region's id too; relations are `type: "relation"` items.
 */
export type ResultItem = {
  id: string;
  from_name?: string;
  to_name?: string;
  /** "labels", "choices", "textarea", "rectanglelabels", "relation" ... */
  type: string;
  value?: Record<string, any>;
  origin?: "manual" | "prediction" | "prediction-changed";
  score?: number;
  parentID?: string;
  original_width?: number;
  original_height?: number;
  image_rotation?: number;
  /** relations only */
  from_id?: string;
  /** relations only */
  to_id?: string;
  /** relations only */
  direction?: "right" | "left" | "bi";
  /** relations only */
  labels?: string[];
  readonly?: boolean;
  hidden?: boolean;
};

/** A region: the items sharing one id, seen as a whole. */
export type Region = {
  id: string;
  to_name: string;
  /** type of its main (geometry) item, e.g. "labels" */
  type: string;
  /** control of its main item */
  from_name: string;
  /** the main item's value (geometry + labels) */
  value: Record<string, any>;
  /** main item first, then per-region classifications */
  items: ResultItem[];
  hidden: boolean;
  locked: boolean;
};

/** The armed labels for an object: what the next region drawn on it will be labelled with. */
export type Armed = { from_name: string; type: string; labels: string[] };

/** A store change, passed to subscribers after each committed edit (or undo/redo/load). */
export type StoreChange = { kind: "load" | "edit" | "select" | "arm" | "undo" | "redo" | "view"; ids?: string[] };

/**
 * What `createRegion` takes. Extra top-level fields (original_width, original_height,
 * image_rotation, original_length, item_index, parentID, score ...) are copied onto the item.
 */
export type RegionSpec = {
  from_name: string;
  to_name: string;
  type: string;
  value: Record<string, any>;
  id?: string;
  origin?: string;
} & Record<string, any>;

/** The annotation store: all edits go through it; each public edit is one undo step. */
export type AnnotationStore = {
  /** current items (treat as read-only; a new array after each commit) */
  items: ResultItem[];
  /** deep copy for saving (Label Studio JSON) */
  toResults: () => ResultItem[];
  /** replace everything; clears undo history */
  load: (results: ResultItem[]) => void;
  subscribe: (listener: (change: StoreChange) => void) => () => void;
  /** regions (optionally of one object), in creation order */
  regions: (toName?: string) => Region[];
  region: (id: string) => Region | undefined;
  /** returns the new region's id */
  createRegion: (spec: RegionSpec) => string;
  /** merged into the value of every item of the region except each item's own payload key */
  updateRegion: (id: string, patch: Record<string, any>) => void;
  setRegionLabels: (id: string, from_name: string, type: string, labels: string[]) => void;
  /** also removes its per-region items and relations */
  deleteRegion: (id: string) => void;
  /** copy of every item of a region under a new id (Ctrl+D); null when read-only */
  duplicateRegion?: (id: string) => string | null;
  /** a control's item (per-region when regionId) */
  classification: (from_name: string, regionId?: string) => ResultItem | undefined;
  /** an empty value removes the item */
  setClassification: (control: TagNode, type: string, value: Record<string, any>, regionId?: string) => void;
  addRelation: (fromId: string, toId: string, props?: { labels?: string[]; direction?: "right" | "left" | "bi" }) => void;
  removeRelation: (fromId: string, toId: string) => void;
  relations: () => ResultItem[];
  selectedId: string | null;
  select: (id: string | null) => void;
  setHidden: (id: string, hidden: boolean) => void;
  setLocked: (id: string, locked: boolean) => void;
  armed: (toName: string) => Armed | null;
  arm: (toName: string, armed: Armed | null) => void;
  /** group edits into one undo step */
  transact: <T>(fn: () => T) => T;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
  /** set by the runtime: every edit (and undo/redo) is ignored while true */
  readOnly?: boolean;
};

export type HotkeyOptions = {
  /** shown in the shortcuts dialog */
  description?: string;
  /** "Labels", "Regions", "Annotation" ... */
  group?: string;
  /** fire even while typing in a text field (modifier combos) */
  allowInInputs?: boolean;
};

export type LabelingSettings = {
  hotkeysEnabled: boolean;
  /** region labels drawn on regions */
  showLabels: boolean;
  /** keep the armed label after creating a region */
  keepLabelSelected: boolean;
  selectAfterCreate: boolean;
  showLineNumbers: boolean;
};

/** What the runtime gives each widget (one per tag instance). */
export type WidgetContext = {
  task: { id?: number; data: Record<string, any> };
  store: AnnotationStore;
  /** predictions, compare view, finished reviews: draw and select, do not edit */
  readOnly: boolean;
  /** the widget's plugin */
  plugin: string;
  /** "$key" / "$a.b" -> task data value; other values unchanged */
  resolve: (value: any) => any;
  /** a URL the browser can load (storage URIs resolved) */
  mediaUrl: (url: string) => string;
  /** render nested tags (container widgets); returns their cleanup */
  renderChildren: (el: HTMLElement, nodes: TagNode[]) => () => void;
  /** register a hotkey in the runtime's keymap; a handler returning false did nothing */
  hotkey: (combo: string, handler: (event: KeyboardEvent) => void | boolean, options?: HotkeyOptions) => () => void;
  /** control tags whose toName includes the object */
  controlsFor: (objectName: string) => TagNode[];
  /** any named tag of the config */
  byName: (name: string) => TagNode | undefined;
  /** the label's background (or a palette colour) */
  labelColor: (control: TagNode, value: string) => string;
  /** the media sync channel of a `sync="group"` attribute; the widget never hears its own messages */
  sync: (group: string) => SyncChannel;
  settings: LabelingSettings;
};

/** A message between objects of one sync group; times in seconds. */
export type SyncMessage = {
  type: "seek" | "play" | "pause" | "speed" | "range";
  time?: number;
  /** with "range": the selection's end */
  end?: number;
  /** with "speed": the playback rate */
  speed?: number;
  /** the sending object's name (set by the channel) */
  source?: string;
};

/** One widget's end of a sync group. */
export type SyncChannel = {
  publish: (message: SyncMessage) => void;
  /** listen to the other members; ends with the widget (or call the returned function) */
  subscribe: (listener: (message: SyncMessage) => void) => () => void;
};

/** A widget module's default export. Returns a cleanup (or a promise of one). */
export type WidgetRender = (args: { el: HTMLElement; model: TagNode; ctx: WidgetContext }) =>
  void | (() => void) | Promise<void | (() => void)>;

// ---------------------------------------------------------------------------------------------
// Label bar
// ---------------------------------------------------------------------------------------------

/** One label a Labels-family control offers (`result` is what results store: the alias or value). */
export type LabelOption = { value: string; result: string; background: string; hotkey: string; hint: string; node: TagNode | null };

/** The labels a Labels-family control offers: its `<Label>` children, or the task's list (value="$field"). */
export function labelOptions(model: TagNode, ctx: WidgetContext): LabelOption[];

/**
 * The label chip bar of every Labels-family control: with no region selected a chip (or its
 * hotkey) arms the label for the next region; with a region selected it relabels that region.
 * Returns the cleanup.
 */
export function renderLabelControl(args: { el: HTMLElement; model: TagNode; ctx: WidgetContext }): () => void;

/** Colour of a region: its first label's background in the control that labelled it, else grey. */
export function regionColor(ctx: WidgetContext, region: Region): string;

/** Load the runtime's stylesheet (label chips, error boxes); idempotent. */
export function ensureLabelingStyles(): Promise<void>;

/**
 * Load a stylesheet once per page (a widget's own CSS: `new URL("../my.css", import.meta.url)`);
 * resolves when it applies, or after 3 s if it cannot load.
 */
export function ensureStylesheet(href: string | URL): Promise<void>;

/** A hotkey as keycaps (`<kbd>`s): a lit template value, to place inside `html\`...\``. */
export function hotkeyBadge(combo: string | undefined | null): unknown;

// ---------------------------------------------------------------------------------------------
// Colours and text
// ---------------------------------------------------------------------------------------------

/** Label Studio's default `Label background` (the server fills it in when the config has none). */
export const DEFAULT_LABEL_BACKGROUND: "#36B37E";
/** Colours given, in config order, to labels that kept the default background. */
export const PALETTE: string[];
/** The colour of one label of a control: its explicit `background`, else a palette colour by position. */
export function labelColor(control: TagNode | undefined | null, value: string): string;
/** A colour with transparency: rgba() for hex colours, color-mix() for CSS names. */
export function hexToRgba(color: string, alpha: number): string;
/** Black or white, whichever contrasts more with the background. */
export function readableTextColor(background: string): "#fff" | "#111";
/** WCAG relative luminance of a hex colour. */
export function luminance(color: string): number;
/** Escape text for HTML (widgets that build markup strings). */
export function escapeHtml(text: unknown): string;
/** Stable small hash (colours of labels not in the config). */
export function hashString(text: string): number;

// ---------------------------------------------------------------------------------------------
// Hotkeys
// ---------------------------------------------------------------------------------------------

/** One parsed key combination. */
export type Combo = { key: string; ctrl: boolean; shift: boolean; alt: boolean; meta: boolean };
/** What key handling reads from an event (a KeyboardEvent fits). */
export type KeyLike = {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  repeat?: boolean;
};
/** A registered hotkey of a {@link Keymap}. */
export type Binding = {
  combo: string;
  parsed: Combo[];
  handler: (event: any) => any;
  scope: string;
  description: string;
  group: string;
  allowInInputs: boolean;
  always: boolean;
  when: (() => boolean) | null;
  order: number;
};

/** Parse "ctrl+shift+z" (or several, comma-separated: "ctrl+z, meta+z") into combos. */
export function parseHotkey(text: string): Combo[];
/** Keycaps of a hotkey's first combo ("ctrl+shift+z" -> ["Ctrl", "Shift", "Z"]; ⌘ on macOS). */
export function formatHotkey(text: string): string[];
/** Keycaps of one parsed combo. */
export function formatCombo(combo: Combo): string[];
/** Whether an event is this combo (`ctrl` also accepts ⌘). */
export function matchesCombo(event: KeyLike, combo: Combo): boolean;
/** The key an event stands for, independent of Shift/Alt changing the character. */
export function eventKey(event: KeyLike): string;
/** A combo without Ctrl, Alt or ⌘ (ignored while the user types). */
export function isSingleKey(combo: Combo): boolean;
/** Give Label/Choice items without a hotkey the next free key of {@link AUTO_HOTKEYS} (mutates the tree). */
export function assignHotkeys(tree: TagNode, reserved?: Iterable<string>): TagNode;
/** Label Studio's auto-assigned label hotkeys, in order. */
export const AUTO_HOTKEYS: string[];

/** The runtime's keymap (widgets register through `ctx.hotkey`; this is for tests and previews). */
export class Keymap {
  bindings: Binding[];
  scopes: { name: string; modal: boolean }[];
  enabled: boolean;
  counter: number;
  /** Register a binding; returns its removal. */
  add(combo: string, handler: (event: any) => any, options?: HotkeyOptions & { scope?: string; always?: boolean; when?: () => boolean }): () => void;
  /** Enter a scope (e.g. "dialog" while a modal is open); returns the exit. */
  pushScope(name: string, options?: { modal?: boolean }): () => void;
  isActive(b: Binding): boolean;
  /** Bindings in effect now (one per combo, latest wins). */
  active(): Binding[];
  /** Dispatch a key event; returns the binding that handled it. */
  handle(event: KeyLike, context?: { typing?: boolean }): Binding;
}

// ---------------------------------------------------------------------------------------------
// Store and visibility (tests and previews of your own)
// ---------------------------------------------------------------------------------------------

/** An empty annotation store (or one holding `results`). */
export function createStore(options?: { results?: ResultItem[] }): AnnotationStore & { version: number; regionIds: () => Set<string> };
/** A Label Studio-style random region id (10 characters). */
export function newId(length?: number): string;
/** The key of `value` holding a control's payload ("labels", "choices", "text" for textarea ...). */
export function valueKey(type: string): string;
/** Result types that are classifications (no geometry of their own). */
export const CLASSIFICATION_TYPES: Set<string>;
/** Whether a tag is shown now (visibleWhen, perRegion). */
export function isVisible(node: TagNode, state: { store: AnnotationStore }): boolean;
/** The objects a control points at (`toName` may be comma-joined). */
export function controlTargets(node: TagNode): string[];
