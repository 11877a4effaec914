import dagre from "/tmp/dagre-timed.mjs";
function realistic(n) { const nodes=[{id:"n0",parent:null,depth:0}]; let i=1; let seed=1; const rnd=()=>(seed=(seed*16807)%2147483647)/2147483647;
  while (nodes.length<n) { const p = nodes[Math.floor(rnd()*nodes.length)]; if (p.depth<6) nodes.push({id:"n"+(i++),parent:p.id,depth:p.depth+1}); } return nodes; }
function dfsOrder(nodes) { const kids = new Map(); for (const n of nodes) if (n.parent) { if(!kids.has(n.parent)) kids.set(n.parent,[]); kids.get(n.parent).push(n.id); }
  const counters = []; const order = new Map(); const stack = nodes.filter(n=>!n.parent).map(n=>[n.id,0]).reverse();
  while (stack.length) { const [id,d]=stack.pop(); order.set(id, counters[d]=(counters[d]??-1)+1); const k=kids.get(id)??[]; for (let j=k.length-1;j>=0;j--) stack.push([k[j],d+1]); } return order; }
const nodes = realistic(1000); const ord = dfsOrder(nodes); const depth = new Map(nodes.map(n=>[n.id,n.depth]));
for (let rep=0;rep<6;rep++){
  const t0=performance.now();
  const g = new dagre.graphlib.Graph();
  g.setGraph({rankdir:"LR", nodesep:12, ranksep:48, ranker: (ig)=>{ for (const v of ig.nodes()) ig.node(v).rank = depth.has(v) ? depth.get(v)*2 : 0; }});
  g.setDefaultEdgeLabel(()=>({}));
  for (const n of nodes) g.setNode(n.id,{width:200,height:44});
  for (const n of nodes) if(n.parent) g.setEdge(n.parent,n.id);
  dagre.layout(g, {customOrder:(g)=>{ for (const v of g.nodes()) { const l=g.node(v); l.order = ord.get(l.dummy ? l.edgeObj.w : v) ?? 0; } }});
  console.log((performance.now()-t0).toFixed(0), g.graph().width, g.graph().height, JSON.stringify(g.node("n5")), JSON.stringify(g.edge("n0","n1")));
}
