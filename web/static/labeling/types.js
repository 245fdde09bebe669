// @ts-check
/**
 * The labeling contract shared by the runtime (web/static/labeling/) and every plugin widget.
 * Types only; docs/plugins.md ("Browser widgets") explains them in prose.
 */

/**
 * One tag of the parsed config, exactly as `POST /api/labeling/tree` returns it.
 * @typedef {object} TagNode
 * @property {string} tag        registered tag name ("Text", "Choices", "Label", "View" ...)
 * @property {"structural"|"object"|"control"|"item"|"visual"} kind
 * @property {number} line       1-based line in the XML
 * @property {Record<string, any>} attrs  converted attributes under canonical names; "$key" kept
 * @property {TagNode[]} [children]
 * @property {string|null} [text]  text content (Header, Markdown, Style ...)
 * @property {string|null} [plugin] plugin that registered the tag (owner of the widget)
 * @property {string[]} [traits]   what the tag does, from its spec (core/labelconfig/traits.py):
 *   "classifies" (a control labelling the whole task), "labels" (a control of flat, hotkeyable
 *   labels), "label" (an item declaring one label), "object", "visual" (seen, not read),
 *   "top_level" (results without from_name, e.g. relations). Never test a tag's name instead.
 */

/**
 * A Label Studio result item. Items of one region share `id`; classifications of a region
 * (perRegion controls) carry the region's id too; relations are `type: "relation"` items.
 * @typedef {object} ResultItem
 * @property {string} id
 * @property {string} [from_name]
 * @property {string} [to_name]
 * @property {string} type        "labels", "choices", "textarea", "rectanglelabels", "relation" ...
 * @property {Record<string, any>} [value]
 * @property {"manual"|"prediction"|"prediction-changed"} [origin]
 * @property {number} [score]
 * @property {string} [parentID]
 * @property {number} [original_width]
 * @property {number} [original_height]
 * @property {number} [image_rotation]
 * @property {string} [from_id]   relations only
 * @property {string} [to_id]     relations only
 * @property {"right"|"left"|"bi"} [direction] relations only
 * @property {string[]} [labels]  relations only
 * @property {boolean} [readonly]
 * @property {boolean} [hidden]
 */

/**
 * A region: the items sharing one id, seen as a whole.
 * @typedef {object} Region
 * @property {string} id
 * @property {string} to_name
 * @property {string} type         type of its main (geometry) item, e.g. "labels"
 * @property {string} from_name    control of its main item
 * @property {Record<string, any>} value  the main item's value (geometry + labels)
 * @property {ResultItem[]} items  main item first, then per-region classifications
 * @property {boolean} hidden
 * @property {boolean} locked
 */

/**
 * The armed labels for an object: what the next region drawn on it will be labelled with.
 * @typedef {{from_name: string, type: string, labels: string[]}} Armed
 */

/**
 * A store change, passed to subscribers after each committed edit (or undo/redo/load).
 * @typedef {{kind: "load"|"edit"|"select"|"arm"|"undo"|"redo"|"view", ids?: string[]}} StoreChange
 */

/**
 * What `createRegion` takes. Extra top-level fields (original_width, original_height,
 * image_rotation, original_length, item_index, parentID, score ...) are copied onto the item and
 * onto the region's per-region classification items where Label Studio repeats them.
 * @typedef {{from_name: string, to_name: string, type: string, value: Record<string, any>, id?: string, origin?: string} & Record<string, any>} RegionSpec
 */

/**
 * The annotation store (web/static/labeling/store.js). All edits go through it; each public
 * edit is one undo step unless wrapped in `transact`.
 * @typedef {object} AnnotationStore
 * @property {ResultItem[]} items                      current items (treat as read-only)
 * @property {() => ResultItem[]} toResults            deep copy for saving (Label Studio JSON)
 * @property {(results: ResultItem[]) => void} load    replace everything; clears undo history
 * @property {(listener: (change: StoreChange) => void) => () => void} subscribe
 * @property {(toName?: string) => Region[]} regions   regions (optionally of one object), in creation order
 * @property {(id: string) => Region|undefined} region
 * @property {(spec: RegionSpec) => string} createRegion  returns the id
 * @property {(id: string, patch: Record<string, any>) => void} updateRegion     merge into every item's geometry (value keys other than labels/choices/text lists)
 * @property {(id: string, from_name: string, type: string, labels: string[]) => void} setRegionLabels
 * @property {(id: string) => void} deleteRegion       also removes its relations
 * @property {(id: string) => string|null} [duplicateRegion]  copy of every item of a region under a new id (Ctrl+D); null when read-only
 * @property {(from_name: string, regionId?: string) => ResultItem|undefined} classification  a control's item (per-region when regionId)
 * @property {(control: TagNode, type: string, value: Record<string, any>, regionId?: string) => void} setClassification  empty value removes it
 * @property {(fromId: string, toId: string, props?: {labels?: string[], direction?: "right"|"left"|"bi"}) => void} addRelation
 * @property {(fromId: string, toId: string) => void} removeRelation
 * @property {() => ResultItem[]} relations
 * @property {string|null} selectedId
 * @property {(id: string|null) => void} select
 * @property {(id: string, hidden: boolean) => void} setHidden
 * @property {(id: string, locked: boolean) => void} setLocked
 * @property {(toName: string) => Armed|null} armed
 * @property {(toName: string, armed: Armed|null) => void} arm
 * @property {<T>(fn: () => T) => T} transact          group edits into one undo step
 * @property {() => void} undo
 * @property {() => void} redo
 * @property {boolean} canUndo
 * @property {boolean} canRedo
 * @property {boolean} [readOnly]                       set by the runtime: every edit (and undo/redo) is ignored while true
 */

/**
 * @typedef {object} HotkeyOptions
 * @property {string} [description] shown in the shortcuts dialog
 * @property {string} [group]        "Labels", "Regions", "Annotation" ...
 * @property {boolean} [allowInInputs] fire even while typing in a text field (modifier combos)
 */

/**
 * What the runtime gives each widget (one per tag instance).
 * @typedef {object} WidgetContext
 * @property {{id?: number, data: Record<string, any>}} task
 * @property {AnnotationStore} store
 * @property {boolean} readOnly          predictions, compare view, finished reviews
 * @property {string} plugin             the widget's plugin
 * @property {(value: any) => any} resolve   "$key" / "$a.b" -> task data value; other values unchanged
 * @property {(url: string) => string} mediaUrl  a URL the browser can load (storage URIs resolved)
 * @property {(el: HTMLElement, nodes: TagNode[]) => () => void} renderChildren  render nested tags
 * @property {(combo: string, handler: (event: KeyboardEvent) => void | boolean, options?: HotkeyOptions) => () => void} hotkey  a handler returning false did nothing: the key goes on to the page
 * @property {(objectName: string) => TagNode[]} controlsFor  control tags whose toName includes the object
 * @property {(name: string) => TagNode|undefined} byName       any named tag of the config
 * @property {(control: TagNode, value: string) => string} labelColor  the label's background (or a palette colour)
 * @property {(group: string) => SyncChannel} sync  the media sync channel of a `sync="group"` attribute
 *   (seek / play / pause / speed / range messages between Audio, Video, TimeSeries ...; the widget
 *   never hears its own; subscriptions end with the widget)
 * @property {LabelingSettings} settings
 */

/** @typedef {import("./sync.js").SyncMessage} SyncMessage */
/** @typedef {import("./sync.js").SyncChannel} SyncChannel */

/**
 * @typedef {object} LabelingSettings
 * @property {boolean} hotkeysEnabled
 * @property {boolean} showLabels          region labels drawn on regions
 * @property {boolean} keepLabelSelected   keep the armed label after creating a region
 * @property {boolean} selectAfterCreate
 * @property {boolean} showLineNumbers
 */

/**
 * A widget module's default export. Returns a cleanup (or a promise of one).
 * @typedef {(args: {el: HTMLElement, model: TagNode, ctx: WidgetContext}) => (void | (() => void) | Promise<void | (() => void)>)} WidgetRender
 */

export {};
