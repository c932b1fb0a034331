// The parts of ECharts the console draws with, registered once (tree-shaken: bars, grid, tooltip,
// legend, mark lines, canvas). Loaded by EChart.vue on first use, so it is a chunk of its own.
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer])

export { echarts }
