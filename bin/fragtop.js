#!/usr/bin/env node
import '../dist/fragtop.js';
