// Package photo renders photo-like JPEG images for the demo site and the
// tests, deterministic for a seed.
package photo

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
)

// JPEG renders a photo-like landscape/scene as JPEG bytes, deterministic for a seed.
//
// The scene is a campus skyline at some time of day: a sky gradient with sun
// glow and soft clouds, hazy hills, buildings with windows, a tree line and a
// lawn or a lake that reflects it all, finished with a vignette and film
// grain so that it compresses and looks like a photograph, not a test card.
func JPEG(seed uint64, width, height int) ([]byte, error) {
	if width < 16 || height < 16 || width > 8000 || height > 8000 {
		return nil, fmt.Errorf("photo size %d×%d: each side must be 16–8000 pixels", width, height)
	}
	img := newLandscape(seed, width, height).render()
	var buf bytes.Buffer
	buf.Grow(width * height / 6)
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		return nil, fmt.Errorf("encode photo: %w", err)
	}
	return buf.Bytes(), nil
}

// rgb is a colour with channels in 0..1.
type rgb struct{ r, g, b float32 }

func (c rgb) mix(d rgb, t float32) rgb {
	return rgb{c.r + (d.r-c.r)*t, c.g + (d.g-c.g)*t, c.b + (d.b-c.b)*t}
}

func (c rgb) scale(k float32) rgb { return rgb{c.r * k, c.g * k, c.b * k} }

func (c rgb) add(d rgb) rgb { return rgb{c.r + d.r, c.g + d.g, c.b + d.b} }

func (c rgb) mul(d rgb) rgb { return rgb{c.r * d.r, c.g * d.g, c.b * d.b} }

// mood is the light of one time of day and weather.
type mood struct {
	zenith, horizon rgb // sky at the top and at the horizon
	sun             rgb // colour of the sun and its glow; black for none
	sunHeight       float32
	sunGlow         float32
	cloudLit        rgb
	cloudShade      rgb
	cover           float32 // 0 clear .. 1 overcast
	haze            rgb     // colour distant things fade to
	foliage         rgb
	lawn            rgb
	facadeLight     rgb     // light falling on building fronts
	lights          float32 // share of windows lit
	stars           bool
}

var moods = []mood{
	{ // clear day
		zenith: rgb{0.16, 0.36, 0.70}, horizon: rgb{0.70, 0.81, 0.91}, sun: rgb{1, 0.97, 0.88}, sunHeight: -0.1, sunGlow: 0.35,
		cloudLit: rgb{1, 1, 1}, cloudShade: rgb{0.60, 0.66, 0.76}, cover: 0.45, haze: rgb{0.66, 0.75, 0.84},
		foliage: rgb{0.10, 0.21, 0.09}, lawn: rgb{0.27, 0.44, 0.15}, facadeLight: rgb{1, 0.98, 0.94},
	},
	{ // golden hour
		zenith: rgb{0.24, 0.30, 0.52}, horizon: rgb{1.0, 0.70, 0.40}, sun: rgb{1, 0.78, 0.45}, sunHeight: 0.42, sunGlow: 0.9,
		cloudLit: rgb{1, 0.72, 0.50}, cloudShade: rgb{0.46, 0.34, 0.40}, cover: 0.5, haze: rgb{0.86, 0.62, 0.46},
		foliage: rgb{0.12, 0.12, 0.08}, lawn: rgb{0.30, 0.30, 0.12}, facadeLight: rgb{1.0, 0.78, 0.58}, lights: 0.15,
	},
	{ // dusk
		zenith: rgb{0.12, 0.13, 0.32}, horizon: rgb{0.96, 0.48, 0.26}, sun: rgb{1, 0.55, 0.25}, sunHeight: 0.9, sunGlow: 0.8,
		cloudLit: rgb{0.95, 0.45, 0.35}, cloudShade: rgb{0.28, 0.18, 0.30}, cover: 0.55, haze: rgb{0.62, 0.36, 0.36},
		foliage: rgb{0.05, 0.04, 0.06}, lawn: rgb{0.08, 0.07, 0.07}, facadeLight: rgb{0.45, 0.30, 0.30}, lights: 0.55,
	},
	{ // dawn
		zenith: rgb{0.32, 0.42, 0.66}, horizon: rgb{0.98, 0.78, 0.70}, sun: rgb{1, 0.86, 0.72}, sunHeight: 0.75, sunGlow: 0.7,
		cloudLit: rgb{1, 0.82, 0.80}, cloudShade: rgb{0.55, 0.52, 0.66}, cover: 0.4, haze: rgb{0.78, 0.72, 0.80},
		foliage: rgb{0.14, 0.16, 0.20}, lawn: rgb{0.22, 0.28, 0.22}, facadeLight: rgb{0.85, 0.78, 0.78}, lights: 0.2,
	},
	{ // overcast
		zenith: rgb{0.52, 0.55, 0.60}, horizon: rgb{0.80, 0.82, 0.83}, sun: rgb{0.9, 0.9, 0.88}, sunHeight: 0.1, sunGlow: 0.12,
		cloudLit: rgb{0.88, 0.89, 0.90}, cloudShade: rgb{0.50, 0.52, 0.56}, cover: 0.9, haze: rgb{0.76, 0.78, 0.79},
		foliage: rgb{0.16, 0.22, 0.17}, lawn: rgb{0.30, 0.38, 0.25}, facadeLight: rgb{0.86, 0.87, 0.88},
	},
	{ // blue hour, campus lights on
		zenith: rgb{0.03, 0.05, 0.15}, horizon: rgb{0.20, 0.26, 0.46}, sun: rgb{0.35, 0.40, 0.65}, sunHeight: 1.2, sunGlow: 0.3,
		cloudLit: rgb{0.22, 0.24, 0.36}, cloudShade: rgb{0.06, 0.07, 0.13}, cover: 0.3, haze: rgb{0.14, 0.17, 0.30},
		foliage: rgb{0.02, 0.03, 0.05}, lawn: rgb{0.03, 0.04, 0.05}, facadeLight: rgb{0.16, 0.17, 0.24}, lights: 0.8, stars: true,
	},
	{ // spring campus
		zenith: rgb{0.22, 0.48, 0.84}, horizon: rgb{0.76, 0.87, 0.95}, sun: rgb{1, 0.98, 0.9}, sunHeight: -0.2, sunGlow: 0.3,
		cloudLit: rgb{1, 1, 1}, cloudShade: rgb{0.66, 0.72, 0.82}, cover: 0.3, haze: rgb{0.70, 0.80, 0.86},
		foliage: rgb{0.15, 0.33, 0.10}, lawn: rgb{0.34, 0.56, 0.18}, facadeLight: rgb{1, 1, 0.96},
	},
}

// facades are building materials: render, concrete, brick, stone, glass.
var facades = []rgb{{0.82, 0.77, 0.68}, {0.72, 0.72, 0.73}, {0.62, 0.36, 0.28}, {0.88, 0.87, 0.84}, {0.45, 0.55, 0.63}, {0.70, 0.62, 0.52}}

// building is one block of the skyline.
type building struct {
	x0, x1       int
	top          float32
	facade       rgb
	cellW, cellH int     // window grid
	lit          float32 // share of windows lit
	tower        bool    // a narrow landmark with a spire
	depth        float32 // 0 near .. 1 far: how much haze veils it
}

// landscape is one photo being rendered.
type landscape struct {
	w, h    int
	seed    uint64
	m       mood
	horizon float32 // y of the ground line
	sunX    float32
	sunY    float32
	lake    bool
	ridges  [2][]float32
	ridgeC  [2]rgb
	bTop    []float32 // top of the building in column x, or +Inf
	bIdx    []int     // which building is in column x
	blds    []building
	trees   []float32 // top of the tree line in column x
	crownX  []float32 // centre of the crown that forms it
	crownR  []float32 // and its radius
	col3    []int32   // 3x mod width: texture columns at a finer scale
	col13   []int32   // x/3 shifted: texture columns at a coarser scale
	sinX    []float32 // sin and cos of 0.01x, for water ripples
	cosX    []float32
	clouds  *grid // cloud density
	light   *grid // cloud self-shadowing
	tex     *grid // texture for land and foliage
	frame   int   // 0 none, 1 left, 2 right: an overhanging tree in the foreground
}

func newLandscape(seed uint64, w, h int) *landscape {
	r := rand.New(rand.NewPCG(seed, 0x70686f746f))
	l := &landscape{w: w, h: h, seed: seed}
	l.m = jitter(moods[r.IntN(len(moods))], r)
	fw, fh := float32(w), float32(h)
	l.horizon = fh * (0.56 + 0.16*r.Float32())
	l.sunX = fw * (0.15 + 0.7*r.Float32())
	l.sunY = l.horizon*(1-l.m.sunHeight) - fh*0.04
	l.lake = r.IntN(100) < 40
	if l.lake {
		l.horizon = fh * (0.52 + 0.12*r.Float32())
	}
	if r.IntN(100) < 30 {
		l.frame = 1 + r.IntN(2)
	}
	n := newValueNoise(r)

	// Two ridges of hills, the farther one lower and hazier.
	for i := range l.ridges {
		base := l.horizon - fh*(0.05+0.07*float32(1-i))*(0.6+0.8*r.Float32())
		amp := fh * (0.05 + 0.10*r.Float32()) * float32(2-i) / 2
		freq := (2.0 + 3*r.Float32()) / fw
		off := r.Float32() * 100
		ridge := make([]float32, w)
		for x := range ridge {
			v := n.ridged(float32(x)*freq+off, float32(i)*7.3+off, 6)
			ridge[x] = base - amp*v
		}
		l.ridges[i] = ridge
		l.ridgeC[i] = l.m.foliage.mix(l.m.haze, 0.78-0.28*float32(i))
	}

	// The skyline: buildings standing on the ground line.
	l.bTop = make([]float32, w)
	l.bIdx = make([]int, w)
	for x := range l.bTop {
		l.bTop[x] = float32(math.Inf(1))
	}
	if r.IntN(100) < 80 {
		l.skyline(r)
	}

	l.treeLine(n, r)

	// Hot loops read these instead of dividing per pixel.
	l.col3, l.col13 = make([]int32, w), make([]int32, w)
	l.sinX, l.cosX = make([]float32, w), make([]float32, w)
	for x := range w {
		l.col3[x] = int32(x * 3 % w)
		l.col13[x] = int32((x/3 + w/3) % w)
		sn, cs := math.Sincos(float64(x) * 0.01)
		l.sinX[x], l.cosX[x] = float32(sn), float32(cs)
	}

	// Clouds and textures are smooth, so they are computed on a coarse grid.
	l.clouds, l.light = l.cloudField(n, r)
	l.tex = newGrid(w, h, 4, func(x, y float32) float32 {
		return n.fbm(x/(fw*0.03)+31, y/(fw*0.03)+17, 4)
	})
	return l
}

// treeLine grows a row of rounded tree crowns along the ground line, in
// clumps with gaps that let the buildings show.
func (l *landscape) treeLine(n *valueNoise, r *rand.Rand) {
	w := l.w
	fw, fh := float32(w), float32(l.h)
	l.trees = make([]float32, w)
	l.crownX = make([]float32, w)
	l.crownR = make([]float32, w)
	for x := range l.trees {
		l.trees[x] = l.horizon - fh*0.006
		l.crownR[x] = 1
		l.crownX[x] = float32(x)
	}
	toff := r.Float32() * 100
	tall := 0.6 + 0.8*r.Float32()
	for cx := -fw * 0.03; cx < fw*1.03; {
		clump := smoothstep(0.35, 0.65, n.fbm(max(0, cx)/(fw*0.2)+toff, 3.1, 3))
		rad := fh * (0.01 + 0.035*r.Float32()*r.Float32() + 0.01*r.Float32()) * tall
		if clump < 0.2 {
			cx += rad * (1 + 2*r.Float32())
			continue
		}
		rad *= 0.5 + 0.5*clump
		cy := l.horizon - rad*(0.3+1.2*r.Float32())
		flat := 0.7 + 0.4*r.Float32() // crowns are rarely round
		loff := r.Float32() * 50
		for x := max(0, int(cx-rad)); x < min(w, int(cx+rad)+1); x++ {
			dx := float32(x) - cx
			lobes := 0.8 + 0.4*n.fbm(float32(x)/(rad*0.6)+loff, 2.2, 2)
			top := cy - float32(math.Sqrt(float64(max(0, rad*rad-dx*dx))))*flat*lobes
			if top < l.trees[x] {
				l.trees[x], l.crownX[x], l.crownR[x] = top, cx, rad
			}
		}
		cx += rad * (0.7 + 0.8*r.Float32())
	}
	// Ragged leaves along the crowns.
	for x := range l.trees {
		l.trees[x] -= fh * 0.006 * n.fbm(float32(x)/(fw*0.003)+toff, 9.1, 2)
	}
}

// jitter varies a mood slightly so no two photos share exactly one light.
func jitter(m mood, r *rand.Rand) mood {
	j := func(c rgb, amount float32) rgb {
		k := 1 + (r.Float32()-0.5)*amount
		return rgb{c.r * k * (1 + (r.Float32()-0.5)*0.06), c.g * k, c.b * k * (1 + (r.Float32()-0.5)*0.06)}
	}
	m.zenith = j(m.zenith, 0.2)
	m.horizon = j(m.horizon, 0.12)
	m.foliage = j(m.foliage, 0.3)
	m.lawn = j(m.lawn, 0.25)
	m.cover = min(1, max(0, m.cover+(r.Float32()-0.5)*0.4))
	m.sunHeight += (r.Float32() - 0.5) * 0.15
	return m
}

// skyline places buildings along the ground line.
func (l *landscape) skyline(r *rand.Rand) {
	fw, fh := float32(l.w), float32(l.h)
	x := -r.IntN(l.w/10 + 1)
	towerAt := -1
	if r.IntN(100) < 50 {
		towerAt = int(fw * (0.2 + 0.6*r.Float32()))
	}
	for x < l.w {
		bw := int(fw * (0.05 + 0.12*r.Float32()))
		if r.IntN(100) < 15 { // a gap in the skyline
			x += int(fw * 0.06 * r.Float32())
		}
		depth := r.Float32()
		b := building{
			x0: x, x1: x + bw, depth: depth,
			top:    l.horizon - fh*(0.05+0.15*r.Float32()*r.Float32()+0.03*r.Float32())*(1.1-0.4*depth),
			facade: facades[r.IntN(len(facades))].scale(0.8 + 0.25*r.Float32()),
			lit:    l.m.lights * (0.3 + 0.7*r.Float32()),
		}
		b.cellW = max(3, int(fw*(0.006+0.006*r.Float32())))
		b.cellH = max(4, int(float32(b.cellW)*(1.2+0.5*r.Float32())))
		if towerAt >= 0 && towerAt >= x && towerAt < x+bw {
			tw := max(6, int(fw*0.025))
			t := building{x0: towerAt - tw/2, x1: towerAt + tw/2, top: l.horizon - fh*(0.22+0.08*r.Float32()),
				facade: facades[3].scale(0.9), cellW: tw / 2, cellH: max(4, tw), lit: l.m.lights, tower: true}
			l.place(t)
		}
		l.place(b)
		x += bw
	}
}

// place draws a building into the column tables, behind what is there.
func (l *landscape) place(b building) {
	l.blds = append(l.blds, b)
	i := len(l.blds) - 1
	spire := float32(l.h) * 0.06
	mid := float32(b.x0+b.x1) / 2
	half := float32(b.x1-b.x0) / 2
	for x := max(0, b.x0); x < min(l.w, b.x1); x++ {
		top := b.top
		if b.tower {
			// A pointed roof narrowing to a spire.
			d := float32(math.Abs(float64(float32(x)-mid))) / half
			top = b.top - spire*(1-d)*(1-d)
		}
		if top < l.bTop[x] {
			l.bTop[x] = top
			l.bIdx[x] = i
		}
	}
}

// cloudField computes cloud density and a shading term from the density a
// little toward the sun, which gives the clouds lit tops and dark bellies.
func (l *landscape) cloudField(n *valueNoise, r *rand.Rand) (*grid, *grid) {
	fw, fh := float32(l.w), float32(l.h)
	off := r.Float32() * 50
	th := 0.68 - 0.36*l.m.cover
	sx, sy := 1/(fw*0.32), 1/(fh*0.11)
	density := func(x, y float32) float32 {
		v := n.fbm(x*sx+off, y*sy+off*0.7, 5)
		// Clouds thin out toward the horizon and the very top.
		fade := smoothstep(0, 0.15, y/fh) * (1 - smoothstep(0.55, 1.0, y/l.horizon))
		return smoothstep(th, th+0.22, v) * fade
	}
	dense := newGrid(l.w, int(l.horizon)+2, 4, density)
	dx, dy := (l.sunX-fw/2)*0.02, -fh*0.02
	light := newGrid(l.w, int(l.horizon)+2, 4, func(x, y float32) float32 {
		return clamp01(0.55 + 2.5*(dense.sample(x, y)-dense.sample(x+dx, y+dy)))
	})
	return dense, light
}

// render draws the scene into an RGBA image.
func (l *landscape) render() *image.YCbCr {
	w, h := l.w, l.h
	buf := make([]rgb, w*h)
	hz := int(l.horizon)
	for y := 0; y < h; y++ {
		row := buf[y*w : (y+1)*w]
		switch {
		case y <= hz:
			l.upperRow(row, y)
		case l.lake:
			l.waterRow(buf, row, y)
		default:
			l.lawnRow(row, y)
		}
	}
	if l.frame != 0 {
		l.overhang(buf)
	}
	return l.finish(buf)
}

// upperRow draws sky, clouds, hills, buildings and trees in row y.
func (l *landscape) upperRow(row []rgb, y int) {
	m := &l.m
	fw, fh := float32(l.w), float32(l.h)
	fy := float32(y)
	// Sky: zenith to horizon, brightening fast near the horizon.
	t := clamp01(fy / l.horizon)
	sky := m.zenith.mix(m.horizon, t*t*(0.4+0.6*t))
	dy := (fy - l.sunY) / fh
	cr, ct := l.clouds.row(fy), l.light.row(fy)
	texRow, leafRow := l.tex.row(fy), l.tex.row(fy*3)
	sunSide := float32(1)
	if l.sunX > fw/2 {
		sunSide = -1
	}
	for x := range row {
		fx := float32(x)
		// Front to back: what the tree line, a building or the near hill
		// hides completely is not drawn at all.
		var tree rgb
		treeA := float32(0)
		if top := l.trees[x]; fy+1 > top {
			treeA = clamp01(fy + 1 - top)
			v := l.tex.at(leafRow, int(l.col3[x]))
			leaf := float32(hash3(uint64(x)/2, uint64(y)/2, l.seed+7)&0xff) / 255
			side := (fx - l.crownX[x]) / l.crownR[x] * sunSide
			k := 0.62 + 0.5*v + 0.22*leaf + 0.22*side
			k *= 1.2 - 0.5*clamp01((fy-top)/(l.crownR[x]*1.6)) // crowns lit from above
			tree = m.foliage.scale(k).mix(m.haze, 0.1)
			if treeA >= 1 {
				row[x] = tree
				continue
			}
		}
		var c rgb
		if fy >= l.bTop[x] {
			c = l.facade(x, y, texRow, sunSide)
		} else {
			c = l.background(x, y, sky, dy, cr, ct, texRow)
		}
		if treeA > 0 {
			c = c.mix(tree, treeA)
		}
		row[x] = c
	}
}

// background is what shows behind the buildings and trees at (x, y): the
// hills, or the sky with sun, stars and clouds.
func (l *landscape) background(x, y int, sky rgb, dy float32, cr, ct, texRow gridRow) rgb {
	m := &l.m
	fx, fy, fh := float32(x), float32(y), float32(l.h)
	hill := func(i int) (rgb, float32) {
		top := l.ridges[i][x]
		if fy+1 <= top {
			return rgb{}, 0
		}
		v := l.tex.at(texRow, x)
		hc := l.ridgeC[i].scale(0.9 + 0.25*v)
		return hc.mix(m.haze, clamp01((fy-top)/(l.horizon-top+1))*0.45), clamp01(fy + 1 - top)
	}
	near, nearA := hill(1)
	if nearA >= 1 {
		return near
	}
	c := sky
	// Sun glow: a wide soft halo and a tight bright one.
	dx := (fx - l.sunX) / fh
	d2 := dx*dx + dy*dy
	glow := m.sunGlow * (0.35/(1+d2*18) + 0.5/(1+d2*400))
	c = c.add(m.sun.scale(glow * 0.6))
	if m.sunHeight > 0 && m.sunHeight < 1 {
		sunR := fh * 0.022
		if d := float32(math.Sqrt(float64(d2))) * fh; d < sunR+1.5 {
			c = c.mix(m.sun.scale(1.25), clamp01(sunR+1-d))
		}
	}
	if m.stars && fy < l.horizon*0.7 {
		if hsh := hash3(uint64(x), uint64(y), l.seed); hsh%2200 == 0 {
			c = c.add(rgb{0.6, 0.6, 0.7}.scale(float32(hsh>>40&0xff) / 255))
		}
	}
	if dens := l.clouds.at(cr, x); dens > 0.002 {
		cl := m.cloudShade.mix(m.cloudLit, l.light.at(ct, x))
		cl = cl.add(m.sun.scale(glow * 0.5))
		c = c.mix(cl, dens*(0.75+0.25*m.cover))
	}
	if far, farA := hill(0); farA > 0 {
		c = c.mix(far, farA)
	}
	if nearA > 0 {
		c = c.mix(near, nearA)
	}
	return c
}

// facade colours a building pixel: wall, windows, light and haze.
func (l *landscape) facade(x, y int, texRow gridRow, sunSide float32) rgb {
	m := &l.m
	b := &l.blds[l.bIdx[x]]
	wall := b.facade.mul(m.facadeLight)
	lx, ly := x-b.x0, y-int(b.top)
	height := l.horizon - b.top
	haze := 0.12 + 0.4*b.depth
	if ly < 0 { // spire
		return wall.scale(0.8).mix(m.haze, haze)
	}
	// Sky light from above, shadow toward the ground, some weathering.
	wall = wall.scale((1.04 - 0.22*float32(ly)/height) * (0.94 + 0.12*l.tex.at(texRow, x)))
	switch {
	case ly < 2: // the parapet catches the light
		wall = wall.scale(1.12)
	case ly < 4:
		wall = wall.scale(0.8)
	case ly > b.cellH/2 && lx%b.cellW >= b.cellW/4 && lx%b.cellW < b.cellW*3/4+1 && ly%b.cellH > b.cellH/3:
		cell := hash3(uint64(lx/b.cellW), uint64(ly/b.cellH), uint64(l.bIdx[x])+l.seed)
		shade := float32(cell>>16&0xff) / 255
		if float32(cell&0xffff)/65535 < b.lit {
			wall = rgb{1.0, 0.80, 0.50}.scale(0.7 + 0.35*shade)
		} else {
			glass := m.zenith.mix(m.horizon, 0.3+0.4*shade).scale(0.45 + 0.2*shade)
			wall = wall.scale(0.4).mix(glass, 0.55)
		}
	}
	// The side of the block turned from the sun is in shade.
	edge := float32(lx) / float32(b.x1-b.x0)
	if sunSide < 0 {
		edge = 1 - edge
	}
	if edge > 0.8 {
		wall = wall.scale(0.8)
	}
	return wall.mix(m.haze, haze)
}

// lawnRow draws the ground in front: grass whose texture shrinks toward
// the horizon, with soft light and shadow patches.
func (l *landscape) lawnRow(row []rgb, y int) {
	m := &l.m
	fh := float32(l.h)
	near := float32(y) - l.horizon
	depth := clamp01(near / (fh - l.horizon))
	base := m.lawn.mix(m.haze, (1-depth)*(1-depth)*0.45).scale(1 - 0.2*depth)
	// Perspective: rows far away cover more ground.
	dist := fh * 0.6 / (near + fh*0.02)
	gr, pr := l.tex.wrapRow(dist*40), l.tex.wrapRow(dist*6)
	sr := l.tex.wrapRow(float32(y) * 3) // near the camera: plain screen-space detail
	nearMix := smoothstep(0.15, 0.7, depth)
	band := float32(1 + 0.035*math.Sin(float64(dist*9)))
	cx := float32(l.w) / 2
	scale := 3 / (dist + 1)
	// Texture column, stepped across the row and wrapped at the edges.
	fw := float32(l.w)
	step := scale * 2
	tx := float32(math.Mod(float64(cx-cx*step), float64(fw)))
	if tx < 0 {
		tx += fw
	}
	for x := range row {
		grass := l.tex.at(gr, int(tx))
		if tx += step; tx >= fw {
			tx -= fw
		}
		grass += (l.tex.at(sr, int(l.col3[x])) - grass) * nearMix
		patch := l.tex.at(pr, int(l.col13[x]))
		blade := float32(hash3(uint64(x), uint64(y), l.seed+3)&0xff) / 255
		k := (0.8 + 0.3*grass) * (0.82 + 0.36*patch) * band * (0.95 + 0.1*blade*depth)
		row[x] = base.scale(k)
	}
}

// waterRow draws a lake that mirrors the rows above the horizon, rippled
// and darkened.
func (l *landscape) waterRow(buf, row []rgb, y int) {
	m := &l.m
	w := l.w
	fy := float32(y)
	depth := fy - l.horizon
	fh := float32(l.h)
	tint := m.zenith.mix(m.horizon, 0.3).scale(0.5)
	// Ripples: long horizontal waves, larger toward the viewer.
	wr := l.tex.wrapRow(fh * 0.8 / (depth + 2) * 30)
	amp := 1.5 + depth*0.06
	hz := int(l.horizon)
	sy0, cy0 := math.Sincos(float64(fy * 0.7))
	sinY, cosY := float32(sy0), float32(cy0)
	for x := range row {
		fx := float32(x)
		wave := l.tex.at(wr, int(l.col13[x])) - 0.5
		// sin(0.7y + 0.01x), by the angle-sum rule from tables.
		ripple := wave*amp*4 + (sinY*l.cosX[x]+cosY*l.sinX[x])*0.6
		sy := int(l.horizon - depth - ripple)
		sx := x + int(ripple*1.2)
		sy = min(max(sy, 1), hz-1)
		sx = min(max(sx, 1), w-2)
		src := buf[sy*w+sx].scale(0.5).add(buf[(sy-1)*w+sx].scale(0.25)).add(buf[(sy+1)*w+sx-1].scale(0.25))
		fres := 0.55 + 0.25*clamp01(depth/(fh*0.3))
		c := src.scale(0.8+0.25*wave).mix(tint, 1-fres)
		// Glitter on the water under the sun.
		if m.sunHeight > 0 {
			dx := (fx - l.sunX) / fh
			if g := m.sunGlow / (1 + dx*dx*300); g > 0.05 {
				if hash3(uint64(x)/3, uint64(y), l.seed+11)%7 == 0 {
					c = c.add(m.sun.scale(g * 0.5))
				}
			}
		}
		row[x] = c
	}
	// A dark band where the far shore meets the water.
	if depth < fh*0.006 {
		for x := range row {
			row[x] = row[x].scale(0.7)
		}
	}
}

// overhang darkens one upper corner with leaves of a near tree, out of
// focus, as when a photographer frames a view under a branch.
func (l *landscape) overhang(buf []rgb) {
	w, h := l.w, l.h
	fw, fh := float32(w), float32(h)
	leaf := l.m.foliage.scale(0.5).mix(l.m.haze, 0.12)
	lit := l.m.foliage.scale(1.4).mix(l.m.sun, 0.15)
	for y := 0; y < h*2/3; y++ {
		fy := float32(y)
		tr := l.tex.wrapRow(fy * 2.5)
		for x := 0; x < w*3/5; x++ {
			dx, dy := float32(x)/(fw*0.5), fy/(fh*0.62)
			reach := 1 - (dx*dx + dy*dy*1.2)
			if reach <= -0.2 {
				break
			}
			v := l.tex.at(tr, (x*5/2)%w)
			a := smoothstep(0.4, 0.66, v+reach*0.5) * smoothstep(-0.2, 0.3, reach)
			if a <= 0 {
				continue
			}
			px := x
			if l.frame == 2 {
				px = w - 1 - x
			}
			c := leaf.mix(lit, clamp01((v-0.5)*2)*0.6)
			buf[y*w+px] = buf[y*w+px].mix(c, a*0.9)
		}
	}
}

// finish applies the camera: a touch of lens softness, a gentle tone
// curve, vignette and film grain. It writes 4:2:0 YCbCr, which the JPEG
// encoder takes as it is.
func (l *landscape) finish(buf []rgb) *image.YCbCr {
	w, h := l.w, l.h
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	vx := make([]float32, w)
	for x := range vx {
		d := (float32(x) - float32(w)/2) / (float32(w) / 2)
		vx[x] = d * d
	}
	var lut [1024]int32 // tone curve over 0..2, so highlights roll off
	for i := range lut {
		v := float64(i) / 512
		v = 1 - math.Exp(-v*1.6)
		v /= 1 - math.Exp(-1.6)
		s := v * v * (3 - 2*v)
		lut[i] = int32(min(255, max(0, (0.75*v+0.25*s)*255+0.5)))
	}
	// Chroma is the average of each 2×2 block, summed over two rows.
	half := (w + 1) / 2
	sumR, sumG, sumB := make([]int32, half), make([]int32, half), make([]int32, half)
	grain := l.seed*0x9e3779b97f4a7c15 + 1
	for y := 0; y < h; y++ {
		dy := (float32(y) - float32(h)/2) / (float32(h) / 2)
		vy := dy * dy
		lumaRow := img.Y[y*img.YStride : y*img.YStride+w]
		src := buf[y*w : (y+1)*w]
		up, down := buf[max(0, y-1)*w:], buf[min(h-1, y+1)*w:]
		for x, c := range src {
			l, r := src[max(0, x-1)], src[min(w-1, x+1)]
			u, d := up[x], down[x]
			c = rgb{
				c.r*0.6 + (l.r+r.r+u.r+d.r)*0.1,
				c.g*0.6 + (l.g+r.g+u.g+d.g)*0.1,
				c.b*0.6 + (l.b+r.b+u.b+d.b)*0.1,
			}
			grain = grain*6364136223846793005 + 1442695040888963407
			n := float32(int32(grain>>32)) / (1 << 31)    // luminance grain, -1..1
			cn := float32(int8(grain>>24)) / (1 << 7)     // a little colour noise
			k := (1 - 0.32*(vx[x]+vy)*(0.6+0.4*vy)) * 512 // vignette
			g := n * 0.03
			R := lut[idx(c.r*k+(g+cn*0.008)*512)]
			G := lut[idx(c.g*k+g*512)]
			B := lut[idx(c.b*k+(g-cn*0.008)*512)]
			lumaRow[x] = uint8((19595*R + 38470*G + 7471*B + 1<<15) >> 16)
			sumR[x/2] += R
			sumG[x/2] += G
			sumB[x/2] += B
		}
		if y%2 == 1 || y == h-1 {
			rows := int32(1 + y%2)
			cb := img.Cb[(y/2)*img.CStride:]
			cr := img.Cr[(y/2)*img.CStride:]
			for i := range half {
				n := rows * 2
				if 2*i+1 >= w {
					n = rows
				}
				R, G, B := sumR[i]/n, sumG[i]/n, sumB[i]/n
				cb[i] = uint8(min(255, max(0, (-11056*R-21712*G+32768*B+257<<15)>>16)))
				cr[i] = uint8(min(255, max(0, (32768*R-27440*G-5328*B+257<<15)>>16)))
				sumR[i], sumG[i], sumB[i] = 0, 0, 0
			}
		}
	}
	return img
}

// idx clamps v into the tone curve's range.
func idx(v float32) int {
	if v <= 0 {
		return 0
	}
	if v >= 1023 {
		return 1023
	}
	return int(v)
}

// grid holds a smooth field sampled every step pixels, read back with
// bilinear interpolation.
type grid struct {
	w, h, step int
	v          []float32
	colI       []int32   // per image column: grid column left of it
	colT       []float32 // and the weight of the one right of it
}

// gridRow is a precomputed vertical position in a grid.
type gridRow struct {
	i0, i1 int
	t      float32
}

func newGrid(width, height, step int, f func(x, y float32) float32) *grid {
	g := &grid{w: width/step + 2, h: height/step + 2, step: step}
	g.v = make([]float32, g.w*g.h)
	for j := 0; j < g.h; j++ {
		for i := 0; i < g.w; i++ {
			g.v[j*g.w+i] = f(float32(i*step), float32(j*step))
		}
	}
	g.colI = make([]int32, width)
	g.colT = make([]float32, width)
	for x := range width {
		g.colI[x] = int32(x / step)
		g.colT[x] = float32(x%step) / float32(step)
	}
	return g
}

func (g *grid) row(y float32) gridRow {
	fy := max(0, y/float32(g.step))
	j := min(int(fy), g.h-2)
	return gridRow{i0: j * g.w, i1: (j + 1) * g.w, t: min(1, fy-float32(j))}
}

// sample reads the field at any point, clamped to its edges.
func (g *grid) sample(x, y float32) float32 {
	fx := min(max(0, x/float32(g.step)), float32(g.w-2))
	i := min(int(fx), g.w-2)
	t := fx - float32(i)
	r := g.row(y)
	a := g.v[r.i0+i] + (g.v[r.i0+i+1]-g.v[r.i0+i])*t
	b := g.v[r.i1+i] + (g.v[r.i1+i+1]-g.v[r.i1+i])*t
	return a + (b-a)*r.t
}

// wrapRow is row for y taken modulo the grid's height, for textures
// repeated beyond it.
func (g *grid) wrapRow(y float32) gridRow {
	span := float64((g.h - 2) * g.step)
	return g.row(float32(math.Mod(float64(y), span)))
}

func (g *grid) at(r gridRow, x int) float32 {
	i, t := int(g.colI[x]), g.colT[x]
	a := g.v[r.i0+i] + (g.v[r.i0+i+1]-g.v[r.i0+i])*t
	b := g.v[r.i1+i] + (g.v[r.i1+i+1]-g.v[r.i1+i])*t
	return a + (b-a)*r.t
}

// valueNoise is smooth 2D value noise from a seeded lattice.
type valueNoise struct {
	perm [512]uint8
	vals [256]float32
}

func newValueNoise(r *rand.Rand) *valueNoise {
	n := &valueNoise{}
	for i, p := range r.Perm(256) {
		n.perm[i], n.perm[i+256] = uint8(p), uint8(p)
		n.vals[i] = r.Float32()
	}
	return n
}

// at returns noise in 0..1 at (x, y); x and y must not be negative.
func (n *valueNoise) at(x, y float32) float32 {
	xi, yi := int(x), int(y)
	fx, fy := x-float32(xi), y-float32(yi)
	fx, fy = fx*fx*(3-2*fx), fy*fy*(3-2*fy)
	ix, iy := xi&255, yi&255
	a := n.perm[ix]
	b := n.perm[ix+1]
	v00 := n.vals[n.perm[int(a)+iy]]
	v01 := n.vals[n.perm[int(a)+iy+1]]
	v10 := n.vals[n.perm[int(b)+iy]]
	v11 := n.vals[n.perm[int(b)+iy+1]]
	top := v00 + (v10-v00)*fx
	bot := v01 + (v11-v01)*fx
	return top + (bot-top)*fy
}

// fbm sums octaves of noise into a fractal field in about 0..1.
func (n *valueNoise) fbm(x, y float32, octaves int) float32 {
	sum, amp, norm := float32(0), float32(0.5), float32(0)
	for range octaves {
		sum += amp * n.at(x, y)
		norm += amp
		x, y = x*2.03+17.1, y*2.03+5.3
		amp *= 0.5
	}
	return sum / norm
}

// ridged is fractal noise with sharp crests, for hill lines.
func (n *valueNoise) ridged(x, y float32, octaves int) float32 {
	sum, amp, norm := float32(0), float32(0.5), float32(0)
	for range octaves {
		v := 1 - float32(math.Abs(float64(n.at(x, y)*2-1)))
		sum += amp * v * v
		norm += amp
		x, y = x*2.1+3.7, y*2.1+1.9
		amp *= 0.5
	}
	return sum / norm
}

// hash3 mixes three numbers into a well-spread 64-bit value.
func hash3(a, b, c uint64) uint64 {
	h := a*0x9e3779b97f4a7c15 ^ b*0xc2b2ae3d27d4eb4f ^ c*0x165667b19e3779f9
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return h
}

func clamp01(v float32) float32 { return min(1, max(0, v)) }

func smoothstep(a, b, v float32) float32 {
	t := clamp01((v - a) / (b - a))
	return t * t * (3 - 2*t)
}
