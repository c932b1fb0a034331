import { createApp } from 'vue'
import 'vant/es/style/base.css'
import App from './App.vue'

createApp(App).mount('#app')
