import { createSignal, onCleanup, onMount } from "solid-js";

export type View = { x: number; y: number; k: number };
type Box = { width: number; height: number };

export const MIN_ZOOM = 0.08;
export const MAX_ZOOM = 2;
const DRAG_THRESHOLD_PX = 4;

const clampZoom = (k: number) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));

/**
 * Pan (drag), zoom (wheel, buttons) and fit for an SVG canvas. A press that moves less than a few
 * pixels stays a click, so nodes remain clickable on a draggable canvas.
 */
export function createViewport(canvas: () => SVGSVGElement | undefined) {
  const [view, setView] = createSignal<View>({ x: 0, y: 0, k: 1 });
  const [size, setSize] = createSignal<Box>({ width: 0, height: 0 });
  let drag: { x: number; y: number; start: View; moved: boolean } | undefined;
  let suppressClick = false;

  const zoomAt = (factor: number, px: number, py: number) =>
    setView((v) => {
      const k = clampZoom(v.k * factor);
      return { k, x: px - ((px - v.x) * k) / v.k, y: py - ((py - v.y) * k) / v.k };
    });

  const zoomBy = (factor: number) => zoomAt(factor, size().width / 2, size().height / 2);

  /** Scales the content box into the canvas (never above 1:1) and centres it. */
  const fit = (content: Box, maxZoom = 1) => {
    const { width, height } = size();
    if (!width || !height || !content.width) return;
    const k = clampZoom(Math.min((width - 32) / content.width, (height - 32) / content.height, maxZoom));
    setView({ k, x: (width - content.width * k) / 2, y: (height - content.height * k) / 2 });
  };

  /** Moves the view so the point (in graph coordinates) sits at the given canvas position. */
  const place = (gx: number, gy: number, sx: number, sy: number, k = view().k) =>
    setView({ k, x: sx - gx * k, y: sy - gy * k });

  const isVisible = (gx: number, gy: number, halfW: number, halfH: number) => {
    const v = view();
    const { width, height } = size();
    const left = v.x + (gx - halfW) * v.k;
    const top = v.y + (gy - halfH) * v.k;
    return left >= 0 && top >= 0 && left + halfW * 2 * v.k <= width && top + halfH * 2 * v.k <= height;
  };

  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    suppressClick = false;
    drag = { x: e.clientX, y: e.clientY, start: view(), moved: false };
  };
  const onPointerMove = (e: PointerEvent) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
    if (!drag.moved) canvas()?.setPointerCapture(e.pointerId);
    drag.moved = true;
    setView({ ...drag.start, x: drag.start.x + dx, y: drag.start.y + dy });
  };
  const onPointerUp = () => {
    suppressClick = drag?.moved ?? false;
    drag = undefined;
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const box = canvas()?.getBoundingClientRect();
    if (!box) return;
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    zoomAt(Math.exp(-delta * 0.0015), e.clientX - box.left, e.clientY - box.top);
  };

  onMount(() => {
    const el = canvas();
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(el);
    el.addEventListener("wheel", onWheel, { passive: false });
    onCleanup(() => {
      observer.disconnect();
      el.removeEventListener("wheel", onWheel);
    });
  });

  return {
    view,
    size,
    zoomBy,
    fit,
    place,
    isVisible,
    handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp },
    /** True once for the click that ends a drag, which should not select anything. */
    consumeDragClick: () => {
      const was = suppressClick;
      suppressClick = false;
      return was;
    },
  };
}
