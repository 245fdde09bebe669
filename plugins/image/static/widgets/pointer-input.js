// @ts-check
/**
 * Pointer, wheel and Space-key input on the stage, turned into gestures: pan (middle button,
 * Space + drag or the pan tool), select and move, drag a handle (resize, rotate, move a vertex;
 * Alt+click deletes one), draw with the current tool, double-click to close a polygon or add a
 * vertex, wheel zoom (Shift+wheel pans).
 */
import { valueOf, moveShape, nearestEdge, insertPoint, deletePoint, clampPoint, round } from "../geometry.js";
import { editedShape, handleAt } from "./handles.js";
import { bool } from "./image-state.js";

/** @typedef {import("@labelloom/sdk").WidgetContext} WidgetContext */
/** @typedef {import("@labelloom/sdk").TagNode} TagNode */
/** @typedef {import("../geometry.js").Shape} Shape */
/** @typedef {import("../geometry.js").ViewTransform} ViewTransform */
/** @typedef {import("./regions.js").RegionLayer} RegionLayer */
/** @typedef {import("./regions.js").Entry} Entry */
/** @typedef {import("./image-state.js").ImageState} ImageState */
/** @typedef {import("./image-state.js").Edits} Edits */
/** @typedef {import("./viewport.js").Viewport} Viewport */
/** @typedef {import("./scene-cache.js").SceneCache} SceneCache */
/** @typedef {import("./region-actions.js").RegionActions} RegionActions */
/** @typedef {import("./brush-strokes.js").BrushStrokes} BrushStrokes */

const MIN_DRAG = 3; // screen pixels before a drag draws anything

/** @typedef {{mode: string, startX: number, startY: number, sx: number, sy: number, panX: number, panY: number, id?: string, shape?: Shape, handle?: string, vertex?: number, moved: boolean}} Drag */

/**
 * Listen on the stage (the listeners go with it when the widget's element is emptied).
 * @param {object} deps
 * @param {WidgetContext} deps.ctx
 * @param {Record<string, any>} deps.attrs the Image tag's attributes (zoom, zoomControl, zoomBy)
 * @param {TagNode[]} deps.controls controls drawing on this image
 * @param {boolean} deps.canRotateBoxes
 * @param {ImageState} deps.state
 * @param {Edits} deps.edits
 * @param {ViewTransform} deps.view
 * @param {RegionLayer} deps.layer
 * @param {HTMLElement} deps.stage
 * @param {Viewport} deps.viewport
 * @param {SceneCache} deps.scene
 * @param {RegionActions} deps.actions
 * @param {BrushStrokes} deps.strokes
 * @param {() => void} deps.drawStatus
 * @param {() => void} deps.schedule
 */
export function attachPointerInput(deps) {
  const { ctx, attrs, controls, canRotateBoxes, state, edits, view, layer, stage, viewport, scene, actions, strokes, drawStatus, schedule } = deps;
  const { pointerAt } = viewport;
  const zoomable = bool(attrs.zoom) || bool(attrs.zoomControl);
  /** @type {Drag|null} */
  let drag = null;

  /** Which handle of the selected, editable region is under a point. @param {number} x @param {number} y */
  function handleUnder(x, y) {
    const entry = actions.selectedEntry();
    if (!entry || entry.locked || entry.region.hidden || ctx.readOnly) return null;
    const hit = handleAt(entry.shape, x, y, view.zoom, canRotateBoxes);
    return hit && { entry, ...hit };
  }

  stage.addEventListener("pointerdown", (event) => {
    if (!state.loaded) return;
    stage.focus({ preventScroll: true });
    const [sx, sy, x, y] = pointerAt(event);
    const base = { startX: x, startY: y, sx, sy, panX: view.panX, panY: view.panY, moved: false };
    if (event.button === 1 || state.space || state.tool === "pan") {
      event.preventDefault();
      drag = { mode: "pan", ...base };
      stage.setPointerCapture(event.pointerId);
      stage.classList.add("is-panning");
      return;
    }
    if (event.button !== 0) return;
    stage.setPointerCapture(event.pointerId);
    const tol = 4 / view.zoom;
    const onHandle = handleUnder(x, y);
    if (onHandle && (state.tool === "select" || state.tool !== "polygon" || !edits.draft)) {
      const { entry, handle, vertex } = /** @type {any} */ (onHandle);
      if (handle === "vertex" && event.altKey && entry.shape.kind === "polygon") {
        const points = deletePoint(entry.shape.points, vertex);
        if (points) actions.commitShape(entry.id, { ...entry.shape, points });
        else { state.hint = "A polygon needs at least 3 points."; drawStatus(); }
        drag = null;
        return;
      }
      drag = { mode: "handle", ...base, id: entry.id, shape: entry.shape, handle, vertex };
      return;
    }
    if (ctx.readOnly || state.tool === "select") {
      const hit = layer.hit(x, y, tol);
      ctx.store.select(hit ? hit.id : null);
      if (hit && !hit.locked && !ctx.readOnly && hit.shape.kind !== "mask") drag = { mode: "move", ...base, id: hit.id, shape: hit.shape };
      else drag = null;
      return;
    }
    if (x < 0 || y < 0 || x > state.width || y > state.height) {
      if (state.tool !== "polygon") return;
    }
    const [cx, cy] = clampPoint(x, y, state.width, state.height);
    switch (state.tool) {
      case "rect":
      case "ellipse":
        edits.draft = { kind: state.tool, x0: cx, y0: cy, x1: cx, y1: cy };
        drag = { mode: "draw", ...base };
        break;
      case "keypoint": {
        const strokeWidth = Number(controls.find((c) => c.tag.startsWith("KeyPoint"))?.attrs?.strokeWidth) || 1;
        actions.createRegion("keypoint", { x: round((cx / state.width) * 100), y: round((cy / state.height) * 100), width: round(((strokeWidth / view.zoom) / state.width) * 100) });
        drag = null;
        break;
      }
      case "polygon": {
        const draft = edits.draft;
        if (draft && draft.kind === "polygon") {
          const [fx, fy] = draft.points[0];
          if (draft.points.length >= 3 && Math.hypot(fx - cx, fy - cy) <= 8 / view.zoom) actions.finishPolygon();
          else draft.points.push([cx, cy]);
        } else edits.draft = { kind: "polygon", points: [[cx, cy]] };
        drag = null;
        schedule();
        break;
      }
      case "brush":
      case "eraser":
        strokes.start(cx, cy, state.tool === "eraser");
        drag = { mode: "stroke", ...base };
        break;
      default:
        break;
    }
  });

  stage.addEventListener("pointermove", (event) => {
    if (!state.loaded) return;
    const [sx, sy, x, y] = pointerAt(event);
    state.pointer = [x, y];
    if (!drag) {
      if (state.crosshair || edits.draft || state.tool === "brush" || state.tool === "eraser") schedule();
      const over = handleUnder(x, y);
      stage.dataset.cursor = over ? (over.handle === "rot" ? "rotate" : "handle") : "";
      return;
    }
    if (!drag.moved && Math.hypot(sx - drag.sx, sy - drag.sy) >= MIN_DRAG) drag.moved = true;
    if (drag.mode === "pan") {
      view.panX = drag.panX + (sx - drag.sx);
      view.panY = drag.panY + (sy - drag.sy);
      schedule();
      return;
    }
    if (!drag.moved) return;
    const [cx, cy] = clampPoint(x, y, state.width, state.height);
    const draft = edits.draft;
    if (drag.mode === "draw" && draft && draft.kind !== "polygon") {
      draft.x1 = cx;
      draft.y1 = cy;
    } else if (drag.mode === "move" && drag.id && drag.shape) {
      edits.live = { id: drag.id, shape: moveShape(drag.shape, x - drag.startX, y - drag.startY, state.width, state.height) };
    } else if (drag.mode === "handle" && drag.id && drag.shape) {
      edits.live = { id: drag.id, shape: editedShape(drag.shape, /** @type {string} */ (drag.handle), drag.vertex ?? -1, cx, cy, x, y) };
    } else if (drag.mode === "stroke") {
      strokes.extend(cx, cy);
    }
    schedule();
  });

  /** @param {PointerEvent} event */
  function endPointer(event) {
    if (stage.hasPointerCapture?.(event.pointerId)) stage.releasePointerCapture(event.pointerId);
    stage.classList.remove("is-panning");
    const current = drag;
    drag = null;
    if (!current) return;
    if (current.mode === "pan") {
      drawStatus();
      return;
    }
    const draft = edits.draft;
    if (current.mode === "draw" && draft && draft.kind !== "polygon") {
      const d = draft;
      edits.draft = null;
      const minSize = MIN_DRAG / view.zoom;
      if (Math.abs(d.x1 - d.x0) >= minSize && Math.abs(d.y1 - d.y0) >= minSize) {
        /** @type {Shape} */
        const shape = d.kind === "rect"
          ? { kind: "rect", x: Math.min(d.x0, d.x1), y: Math.min(d.y0, d.y1), w: Math.abs(d.x1 - d.x0), h: Math.abs(d.y1 - d.y0), rotation: 0 }
          : { kind: "ellipse", cx: d.x0, cy: d.y0, rx: Math.abs(d.x1 - d.x0), ry: Math.abs(d.y1 - d.y0), rotation: 0 };
        actions.createRegion(d.kind, valueOf(shape, state.width, state.height));
      }
      schedule();
      return;
    }
    if ((current.mode === "move" || current.mode === "handle") && edits.live) {
      const { id, shape } = edits.live;
      edits.live = null;
      if (current.moved) actions.commitShape(id, shape);
      schedule();
      return;
    }
    if (current.mode === "stroke") strokes.end();
  }
  stage.addEventListener("pointerup", endPointer);
  stage.addEventListener("pointercancel", endPointer);
  stage.addEventListener("pointerleave", () => {
    if (!drag) {
      state.pointer = null;
      schedule();
    }
  });
  stage.addEventListener("dblclick", (event) => {
    const [, , x, y] = pointerAt(event);
    const draft = edits.draft;
    if (draft && draft.kind === "polygon") {
      // The double click's second press added a point on top of the last one.
      if (draft.points.length > 3) draft.points.pop();
      actions.finishPolygon();
      return;
    }
    const entry = actions.selectedEntry();
    if (!entry || entry.locked || ctx.readOnly || entry.shape.kind !== "polygon") return;
    const edge = nearestEdge(entry.shape.points, x, y, entry.shape.closed);
    if (edge.distance <= 6 / view.zoom) actions.commitShape(entry.id, { ...entry.shape, points: insertPoint(entry.shape.points, edge.index, [x, y]) });
  });
  stage.addEventListener("wheel", (event) => {
    if (!state.loaded || !(zoomable || event.ctrlKey)) return;
    event.preventDefault();
    scene.noteWheel();
    const [sx, sy] = pointerAt(event);
    if (event.ctrlKey || !event.shiftKey) viewport.zoomBy(Math.pow(Number(attrs.zoomBy) || 1.1, -Math.sign(event.deltaY)), sx, sy);
    else {
      view.panX -= event.deltaY;
      schedule();
    }
  }, { passive: false });
  // Space + drag pans: tracked on the focused stage itself (not the document).
  stage.addEventListener("keydown", (event) => {
    if (event.key === " " && !event.repeat) {
      state.space = true;
      stage.classList.add("is-space");
      event.preventDefault();
    }
  });
  stage.addEventListener("keyup", (event) => {
    if (event.key === " ") {
      state.space = false;
      stage.classList.remove("is-space");
    }
  });
  stage.addEventListener("blur", () => {
    state.space = false;
    stage.classList.remove("is-space");
  });
}
